import type { ValidateFunction } from 'ajv'
import type { CompileCache, SpecProblem } from '../contract/index.js'
import {
  checkAgainstSpec,
  createScenarioLoader,
  type FaultTargets,
  type ScenarioLoader,
} from '../scenario/index.js'
import { checkSteps } from './check-steps.js'
import { loadRunFile } from './load-run-file.js'
import type { OperationCatalog } from './operation-catalog.js'

interface ScenarioFileText {
  readonly text: string
  readonly source: string
}

export interface ScenarioChecker {
  /**
   * Every problem of the files, as `callsim serve` would refuse them (schema, ids unique across
   * the files, faults injecting errors their operations do not declare) plus what only a run
   * would find (unknown operations and parameters, expressions reading no earlier step). Fault
   * plans of shipped files that the specs cannot express come back as `setAside`, as serve
   * sets those scenarios aside instead of refusing to start.
   */
  check(files: readonly ScenarioFileText[]): {
    problems: SpecProblem[]
    setAside: { id: string; source: string; reason: string }[]
  }
}

/**
 * Builds a checker from the scenario schema, the steps schema it refers to, the fault targets of
 * callsim's faces, the operations the steps may call and the cache that compiles them.
 */
export function createScenarioChecker(options: {
  readonly scenarioSchema: object
  readonly stepsSchema: object
  readonly validateSteps: ValidateFunction
  readonly faultTargets: FaultTargets
  readonly catalog: OperationCatalog
  /** Whether a file is one callsim ships (scenarios/): its misfits are set aside, not refused. */
  readonly isShipped?: (source: string) => boolean
  /** What compiles the scenario schema (and keeps the parsed files). */
  readonly cache: CompileCache
}): ScenarioChecker {
  const loader: ScenarioLoader = createScenarioLoader(
    options.scenarioSchema,
    [options.stepsSchema],
    options.cache,
  )
  return {
    check(files) {
      const loaded = loader.load(files.map((file) => ({ ...file, stem: stemOf(file.source) })))
      // The scenario schema checks steps too, through $ref; the runner's own messages for them
      // say more (which forms a field takes), so its problems stand in for the loader's there.
      const problems: SpecProblem[] = []
      const setAside: { id: string; source: string; reason: string }[] = []
      if (!loaded.ok) {
        problems.push(...loaded.error.filter((problem) => !STEPS_POINTER.test(problem.pointer)))
      } else {
        for (const scenario of loaded.value) {
          const refused = checkAgainstSpec([scenario], options.faultTargets)
          const [first] = refused
          if (first !== undefined && options.isShipped?.(scenario.origin.source))
            setAside.push({
              id: scenario.id,
              source: scenario.origin.source,
              reason: first.message,
            })
          else problems.push(...refused)
        }
      }
      for (const file of files) {
        const run = loadRunFile(file.text, file.source, options.validateSteps, options.cache)
        // A file that is not YAML at all: the loader has said so.
        if (run.problems.length > 0) continue
        for (const scenario of run.scenarios) {
          problems.push(...scenario.problems)
          if (scenario.steps !== undefined)
            problems.push(...checkSteps(scenario.steps, options.catalog))
        }
      }
      return { problems, setAside }
    },
  }
}

/** `/steps/…` of a one-scenario file, `/scenarios/<id>/steps/…` of a collection. */
const STEPS_POINTER = /^(\/scenarios\/[^/]+)?\/steps(\/|$)/

function stemOf(source: string): string {
  return (source.split(/[\\/]/).pop() ?? source).replace(/\.(ya?ml|json)$/i, '')
}
