import { afterEach } from 'vitest'
import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { expectErrorInfoBody } from '../../support/expect-error-info.js'
import { recordResponses } from '../../support/record-responses.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, startSimulator, tokenFor } from '../../support/start-simulator.js'
import { BASE, NEW_SESSION, expectResponsesMatchOfficialSpec, recorded } from './setup.js'

afterEach(expectResponsesMatchOfficialSpec)

runErrorHygieneSuite('camara-call-handling', async ({ bodyLimitBytes }) => {
  const simulator = startSimulator({ bodyLimitBytes })
  const registrationId = await registerDevice(simulator, ALICE)
  return {
    app: recordResponses(simulator.app, recorded).app,
    basePath: BASE,
    validRequest: {
      method: 'post',
      path: `${BASE}/sessions`,
      headers: { authorization: `Bearer ${await tokenFor(simulator, ALICE)}`, registrationId },
      body: NEW_SESSION,
    },
    expectErrorBody: expectErrorInfoBody,
    dispose: () => simulator.dispose(),
  }
})
