import {
  formatSpecProblem,
  isObject,
  loadSpec,
  parseYamlSource,
  type CompiledSpec,
  type SpecProblem,
} from '../contract/index.js'
import type { FaultTargets } from '../scenario/index.js'
import { createScenarioChecker } from './check-scenario-files.js'
import { createStepsValidator } from './client-steps.js'
import { OperationCatalog } from './operation-catalog.js'
import {
  collectFiles,
  loadBuiltInSpecs,
  readScenarioSchema,
  readStepsSchema,
  readText,
  sourceName,
} from './read-run-inputs.js'

/** What `callsim validate` found: every problem as one line, and what it checked. */
export interface ValidationReport {
  readonly problems: readonly string[]
  /** JSON Schemas met on the way (e.g. in spec/), which are neither specs nor scenarios. */
  readonly skipped: readonly string[]
  readonly specs: number
  readonly scenarios: number
}

interface TextFile {
  readonly file: string
  readonly source: string
  readonly text: string
}

/**
 * Checks OpenAPI and scenario files without serving: a file with an `openapi` (or `swagger`) key
 * is a spec, one with `$schema` a JSON Schema (skipped), anything else a scenario file. Scenario
 * files are checked as `callsim serve` loads them (their fault plans against the faces that
 * `faultTargetsFor` builds from the valid spec files) and as `callsim run` plays them (their steps
 * against the built-in specs and the given ones).
 */
export function validateFiles(
  paths: readonly string[],
  faultTargetsFor: (specFiles: readonly string[]) => FaultTargets,
): ValidationReport {
  const collected = collectFiles(paths)
  const problems: string[] = collected.missing.map((given) => `${given}: no such file or directory`)
  const skipped: string[] = []
  const specFiles: TextFile[] = []
  const scenarioFiles: TextFile[] = []
  for (const file of collected.files) {
    const source = sourceName(file)
    const read = readText(file)
    if (!read.ok) {
      problems.push(read.message)
      continue
    }
    const parsed = parseYamlSource(read.text, source)
    const data = parsed.ok ? parsed.value.data : undefined
    if (isObject(data) && ('openapi' in data || 'swagger' in data))
      specFiles.push({ file, source, text: read.text })
    else if (isObject(data) && typeof data.$schema === 'string') skipped.push(source)
    else scenarioFiles.push({ file, source, text: read.text })
  }

  const specs: { file: string; spec: CompiledSpec }[] = []
  for (const { file, source, text } of specFiles) {
    const loaded = loadSpec(text, source)
    if (loaded.ok) specs.push({ file, spec: loaded.value })
    else problems.push(...loaded.error.map(formatSpecProblem))
  }

  if (scenarioFiles.length > 0) {
    const stepsSchema = readStepsSchema()
    const checker = createScenarioChecker({
      scenarioSchema: readScenarioSchema(),
      stepsSchema,
      validateSteps: createStepsValidator(stepsSchema),
      faultTargets: faultTargetsFor(specs.map(({ file }) => file)),
      catalog: OperationCatalog.create(
        loadBuiltInSpecs(),
        specs.map(({ spec }) => spec),
      ),
    })
    // File by file, line by line: the order in which a reader fixes them.
    const order = new Map(scenarioFiles.map((file, index) => [file.source, index]))
    const byPlace = (a: SpecProblem, b: SpecProblem): number =>
      (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) || (a.line ?? 0) - (b.line ?? 0)
    problems.push(...[...checker.check(scenarioFiles)].sort(byPlace).map(formatSpecProblem))
  }
  return { problems, skipped, specs: specFiles.length, scenarios: scenarioFiles.length }
}
