import { createHash, timingSafeEqual } from 'node:crypto'
import type { Control } from '../apis/index.js'
import { err, ok } from '../core/index.js'
import type { ScenarioEngine } from '../scenario/index.js'

const digest = (text: string): Buffer => createHash('sha256').update(text).digest()

type ScenarioControl = Pick<
  Control,
  | 'scenarios'
  | 'scenario'
  | 'scenarioActivations'
  | 'activateScenario'
  | 'deactivateScenario'
  | 'refuseAdmin'
>

/** The scenario half of the Control port, plus the optional admin token check. */
export function createScenarioControl(
  engine: ScenarioEngine,
  adminToken: string | undefined,
): ScenarioControl {
  const expected = adminToken === undefined ? undefined : digest(adminToken)
  return {
    scenarios: () => engine.list(),
    scenario: (id) => engine.get(id),
    scenarioActivations: () => engine.activations(),
    activateScenario: (id, subscriber) => {
      const activated = engine.activate(id, subscriber)
      return activated.ok
        ? ok(activated.value)
        : err(
            `callsim has no scenario "${id}"; list them with GET /_callsim/scenarios or \`callsim scenarios\`.`,
          )
    },
    deactivateScenario: (subscriber) => engine.deactivate(subscriber),
    refuseAdmin: (authorization) => {
      if (expected === undefined) return undefined
      if (typeof authorization !== 'string' || !/^bearer\s+\S+$/i.test(authorization.trim())) {
        return 'this callsim protects its control API with --admin-token; send "Authorization: Bearer <admin token>"'
      }
      // Compared as digests in constant time, so response timing does not leak the token.
      const given = digest(authorization.trim().replace(/^bearer\s+/i, ''))
      return timingSafeEqual(given, expected)
        ? undefined
        : 'the admin token is not the one this callsim was started with (--admin-token)'
    },
  }
}
