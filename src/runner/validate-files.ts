import {
  formatSpecProblem,
  isObject,
  loadSpec,
  parseYamlSource,
  type CompileCache,
  type CompiledSpec,
  type SpecProblem,
} from '../contract/index.js'
import { formatSetAside, type FaultTargets } from '../scenario/index.js'
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
  /**
   * What serve would print at start-up and still serve: the given specs' defects and the
   * shipped scenarios set aside for them (one line each).
   */
  readonly notices: readonly string[]
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

/** What `callsim serve --spec <files>` makes of the spec files that load. */
export interface ServeVerdict {
  /** Why serve would refuse the files (e.g. one matches no face), one line each. */
  readonly problems: readonly string[]
  /** The operations scenarios may target on the faces serve would mount. */
  readonly faultTargets: FaultTargets
}

/**
 * Checks OpenAPI and scenario files without serving: a file with an `openapi` (or `swagger`) key
 * is a spec, one with `$schema` a JSON Schema (skipped), anything else a scenario file. Spec files
 * are checked as `callsim serve --spec` takes them (`serveVerdict` asks the same code), scenario
 * files as serve loads them (their fault plans against the faces it would mount) and as
 * `callsim run` plays them (their steps against the built-in specs and the given ones).
 * Everything compiles through `cache`: give it the one `serveVerdict`'s simulator uses, and
 * each spec is parsed and compiled once.
 */
export function validateFiles(
  paths: readonly string[],
  options: {
    readonly serveVerdict: (specFiles: readonly string[]) => ServeVerdict
    readonly cache: CompileCache
    readonly maxFileBytes?: number
    /** Whether a scenario file is one callsim ships: its misfits are set aside, as serve does. */
    readonly isShipped?: (source: string) => boolean
  },
): ValidationReport {
  const { serveVerdict, cache, maxFileBytes, isShipped } = options
  const notices: string[] = []
  const collected = collectFiles(paths)
  const problems: string[] = collected.missing.map((given) => `${given}: no such file or directory`)
  const skipped: string[] = []
  const specFiles: TextFile[] = []
  const scenarioFiles: TextFile[] = []
  for (const file of collected.files) {
    const source = sourceName(file)
    const read = readText(file, maxFileBytes)
    if (!read.ok) {
      problems.push(read.message)
      continue
    }
    const parsed = parseYamlSource(read.text, source, cache)
    const data = parsed.ok ? parsed.value.data : undefined
    if (isObject(data) && ('openapi' in data || 'swagger' in data))
      specFiles.push({ file, source, text: read.text })
    else if (isObject(data) && typeof data.$schema === 'string') skipped.push(source)
    else scenarioFiles.push({ file, source, text: read.text })
  }

  const specs: { file: string; spec: CompiledSpec }[] = []
  for (const { file, source, text } of specFiles) {
    const loaded = loadSpec(text, source, cache)
    if (loaded.ok) {
      specs.push({ file, spec: loaded.value })
      notices.push(...loaded.value.warnings.map((w) => `warning: ${formatSpecProblem(w)}`))
    } else problems.push(...loaded.error.map(formatSpecProblem))
  }

  const verdict =
    specs.length > 0 || scenarioFiles.length > 0
      ? serveVerdict(specs.map(({ file }) => file))
      : undefined
  problems.push(...(verdict?.problems ?? []))

  if (verdict !== undefined && scenarioFiles.length > 0) {
    const stepsSchema = readStepsSchema()
    const checker = createScenarioChecker({
      scenarioSchema: readScenarioSchema(),
      stepsSchema,
      validateSteps: createStepsValidator(stepsSchema, cache),
      faultTargets: verdict.faultTargets,
      catalog: OperationCatalog.create(
        loadBuiltInSpecs(cache),
        specs.map(({ spec }) => spec),
      ),
      isShipped,
      cache,
    })
    // File by file, line by line: the order in which a reader fixes them.
    const order = new Map(scenarioFiles.map((file, index) => [file.source, index]))
    const byPlace = (a: SpecProblem, b: SpecProblem): number =>
      (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) || (a.line ?? 0) - (b.line ?? 0)
    const checked = checker.check(scenarioFiles)
    problems.push(...checked.problems.sort(byPlace).map(formatSpecProblem))
    notices.push(...checked.setAside.map(formatSetAside))
  }
  return { problems, notices, skipped, specs: specFiles.length, scenarios: scenarioFiles.length }
}
