import { expect } from 'vitest'
import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { startSimulator, tokenFor } from '../../support/start-simulator.js'
import { C2C, SCOPES, VISITOR, WEBSITE } from './setup.js'

runErrorHygieneSuite(
  'oracle-click2call',
  async ({ bodyLimitBytes }) => {
    const simulator = startSimulator({ bodyLimitBytes })
    return {
      app: simulator.app,
      basePath: C2C,
      validRequest: {
        method: 'post',
        path: `${C2C}/sales/${VISITOR}`,
        headers: { authorization: `Bearer ${await tokenFor(simulator, WEBSITE, SCOPES)}` },
        body: { delay: 10, userExtension: '12#' },
      },
      expectErrorBody: (body, status) => {
        expect(body).toEqual({ status, message: expect.any(String) })
        expect((body as { message: string }).message.length).toBeGreaterThan(10)
      },
      dispose: () => simulator.dispose(),
    }
  },
  // startCall's body is optional, and the Click2Call spec declares no x-correlator header.
  { body: 'optional', correlatorChecked: false },
)
