import type { ValidateFunction } from 'ajv'
import {
  MAX_SCENARIOS_PER_FILE,
  isObject,
  parseYamlSource,
  toPointer,
  type CompileCache,
  type SpecProblem,
} from '../contract/index.js'
import type { ClientStep } from './client-step.js'
import { parseClientSteps } from './client-steps.js'

/** A scenario as the runner plays it: its id (sent as x-callsim-scenario) and its client steps. */
export interface RunnableScenario {
  readonly id: string
  readonly description: string | undefined
  readonly source: string
  readonly line: number | undefined
  /** The steps time statuses to the millisecond: only a virtual clock can play them. */
  readonly needsVirtualClock: boolean
  /** Undefined: the scenario has no steps (it is listed, not run). */
  readonly steps: readonly ClientStep[] | undefined
  /** Problems with this scenario's steps; a scenario with problems fails without running. */
  readonly problems: readonly SpecProblem[]
}

export interface RunFile {
  readonly source: string
  readonly scenarios: readonly RunnableScenario[]
  /** Problems with the file as a whole (not YAML, not a scenario file). */
  readonly problems: readonly SpecProblem[]
}

/** `scenarios/lifecycle/busy-callee.yaml` → `busy-callee`: a single-scenario file's id is its stem. */
export function scenarioIdOf(source: string): string {
  const base = source.split(/[\\/]/).pop() ?? source
  return base.replace(/\.(ya?ml|json)$/i, '')
}

/**
 * Reads a scenario file for a run: one scenario whose id is the file stem, or several under
 * `scenarios` (id → scenario), as spec/callsim-scenario.schema.json describes. Only `id`,
 * `description` and `steps` matter here; the simulator reads the rest. The text is parsed
 * through `cache`: the in-process callsim (or the build) has usually parsed it already.
 */
export function loadRunFile(
  text: string,
  source: string,
  validateSteps: ValidateFunction,
  cache: CompileCache,
): RunFile {
  const parsed = parseYamlSource(text, source, cache)
  if (!parsed.ok) return { source, scenarios: [], problems: parsed.error }
  const { data, lineOf } = parsed.value
  if (!isObject(data)) {
    return {
      source,
      scenarios: [],
      problems: [
        {
          source,
          pointer: '',
          line: 1,
          message:
            'not a scenario file: expected a YAML object with description and steps, or scenarios',
        },
      ],
    }
  }
  if (isObject(data.scenarios) && Object.keys(data.scenarios).length > MAX_SCENARIOS_PER_FILE) {
    const count = Object.keys(data.scenarios).length
    return {
      source,
      scenarios: [],
      problems: [
        {
          source,
          pointer: '/scenarios',
          line: lineOf('/scenarios'),
          message: `${count} scenarios in one file, more than the ${MAX_SCENARIOS_PER_FILE} callsim reads from one file; split them over several files`,
        },
      ],
    }
  }
  const entries: [string, unknown, string][] = isObject(data.scenarios)
    ? Object.entries(data.scenarios).map(([id, scenario]) => [
        id,
        scenario,
        toPointer(['scenarios', id]),
      ])
    : [[scenarioIdOf(source), data, '']]
  const scenarios = entries.map(([id, scenario, pointer]): RunnableScenario => {
    const line = lineOf(pointer)
    const raw = isObject(scenario) ? scenario : {}
    const description = typeof raw.description === 'string' ? raw.description : undefined
    const needsVirtualClock = Array.isArray(raw.needs) && raw.needs.includes('virtual-clock')
    const known = { id, description, source, line, needsVirtualClock }
    if (raw.steps === undefined) return { ...known, steps: undefined, problems: [] }
    const steps = parseClientSteps(raw.steps, validateSteps, {
      source,
      pointer: `${pointer}/steps`,
      lineOf,
    })
    return steps.ok
      ? { ...known, steps: steps.value, problems: [] }
      : { ...known, steps: [], problems: steps.error }
  })
  return { source, scenarios, problems: [] }
}
