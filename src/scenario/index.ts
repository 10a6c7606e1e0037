/** Scenario files: their schema-checked loader, selection of the governing scenario, lifecycles and fault plans. */
export { SCENARIO_HEADER, formatScenarioProblem, type Scenario } from './scenario.js'
export { createScenarioLoader, type ScenarioFile, type ScenarioLoader } from './load-scenarios.js'
/** What to say for the places of the steps schema whose own descriptions fall short. */
export { STEPS_WORDING } from './steps-wording.js'
export { compileStepsSchema } from './compile-steps-schema.js'
export {
  checkAgainstSpec,
  formatSetAside,
  type SetAsideScenario,
  type FaultTarget,
  type FaultTargets,
} from './check-against-spec.js'
export { FaultState, decideFault, type FaultDecision, type FaultRequest } from './fault-plan.js'
export { type Activations, type SelectionContext } from './select-scenario.js'
export { ScenarioEngine } from './scenario-engine.js'
/** Durations as scenario files write them (`250ms`, `5s`, `1.5m`): the runner's steps share the format. */
export { parseDuration } from '../core/index.js'
export type { Observation, ObservedCallback, ObservedExchange } from './observation.js'
export { recordScenarios, type Recording } from './record-scenarios.js'
export { DEFAULT_REDACTION, type Redaction } from './redact-observations.js'
export { writeScenario } from './write-scenario.js'
