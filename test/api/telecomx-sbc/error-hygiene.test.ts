import { expect } from 'vitest'
import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { startSimulator, tokenFor } from '../../support/start-simulator.js'
import { SBC } from './setup.js'

runErrorHygieneSuite(
  'telecomx-sbc',
  async ({ bodyLimitBytes }) => {
    const simulator = startSimulator({ bodyLimitBytes })
    const token = await tokenFor(simulator, 'sip:noc@telecomx.example.com', 'sbc:sessions:read', {
      accessLevel: 'ADMIN',
    })
    return {
      app: simulator.app,
      basePath: SBC,
      validRequest: {
        method: 'get',
        path: `${SBC}/session`,
        headers: { authorization: `Bearer ${token}` },
        body: {},
      },
      expectErrorBody: (body) => {
        // Only the four TelecomX codes, whatever the status.
        expect(body).toEqual({
          error: expect.stringMatching(/^(bad_request|id|access_denied|internal_error)$/),
          message: expect.any(String),
        })
        expect((body as { message: string }).message.length).toBeGreaterThan(10)
      },
      dispose: () => simulator.dispose(),
    }
  },
  // GET /sbc/session reads no body, and the TelecomX spec declares no x-correlator header.
  { body: 'none', correlatorChecked: false },
)
