import { runErrorHygieneSuite } from '../../shared/error-hygiene.case.js'
import { expectErrorInfoBody } from '../../support/expect-error-info.js'
import { startSimulator } from '../../support/start-simulator.js'

// The control API runs the same suite as every face: bad input gets its ErrorInfo, never a crash.
runErrorHygieneSuite(
  'admin',
  async ({ bodyLimitBytes }) => {
    const simulator = startSimulator({ bodyLimitBytes })
    return {
      app: simulator.app,
      basePath: '/_callsim',
      validRequest: {
        method: 'post',
        path: '/_callsim/clock',
        // The control plane refuses a write without this media type before it routes the
        // method or reads the body (docs/admin-api.md, "Requests from web pages"), so the
        // suite's wrong-method and missing-body requests carry it to reach those checks.
        headers: { 'content-type': 'application/json' },
        body: { advance: '1s' },
      },
      expectErrorBody: expectErrorInfoBody,
      dispose: () => simulator.dispose(),
    }
  },
  { correlatorChecked: false },
)
