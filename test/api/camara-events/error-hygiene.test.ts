import { expect } from 'vitest'
import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, startSimulator, tokenFor } from '../../support/start-simulator.js'
import { BASE, DEVICE, TYPES } from './setup.js'

runErrorHygieneSuite('camara-events', async ({ bodyLimitBytes }) => {
  const simulator = startSimulator({ bodyLimitBytes })
  await registerDevice(simulator, ALICE, DEVICE)
  return {
    app: simulator.app,
    basePath: BASE,
    validRequest: {
      method: 'post',
      path: `${BASE}/subscriptions`,
      headers: { authorization: `Bearer ${await tokenFor(simulator, ALICE)}` },
      body: {
        protocol: 'HTTP',
        sink: 'https://sink.example.com/events',
        types: [TYPES.status],
        config: { subscriptionDetail: { deviceId: DEVICE } },
      },
    },
    expectErrorBody: (body, status) => {
      // CAMARA ErrorInfo, with a message a client developer can act on.
      expect(body).toEqual({
        status,
        code: expect.stringMatching(/^[A-Z_]+$/),
        message: expect.any(String),
      })
      expect((body as { message: string }).message.length).toBeGreaterThan(10)
    },
    dispose: () => simulator.dispose(),
  }
})
