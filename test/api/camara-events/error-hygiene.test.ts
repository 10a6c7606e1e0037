import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { expectErrorInfoBody } from '../../support/expect-error-info.js'
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
    expectErrorBody: expectErrorInfoBody,
    dispose: () => simulator.dispose(),
  }
})
