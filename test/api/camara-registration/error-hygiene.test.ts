import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { expectErrorInfoBody } from '../../support/expect-error-info.js'
import { ALICE, startSimulator, tokenFor } from '../../support/start-simulator.js'
import { DEVICE_ID, REGISTRATION_BASE } from '../../support/register-device.js'

runErrorHygieneSuite('camara-registration', async ({ bodyLimitBytes }) => {
  const simulator = startSimulator({ bodyLimitBytes })
  return {
    app: simulator.app,
    basePath: REGISTRATION_BASE,
    validRequest: {
      method: 'post',
      path: `${REGISTRATION_BASE}/sessions`,
      headers: { authorization: `Bearer ${await tokenFor(simulator, ALICE)}` },
      body: { deviceId: DEVICE_ID },
    },
    expectErrorBody: expectErrorInfoBody,
    dispose: () => simulator.dispose(),
  }
})
