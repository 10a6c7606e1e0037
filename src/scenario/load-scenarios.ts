import type { ValidateFunction } from 'ajv'
import {
  CompileCache,
  MAX_SCENARIOS_PER_FILE,
  compileJsonSchema,
  explainFileErrors,
  parseYamlSource,
  toPointer,
  type YamlSource,
} from '../contract/index.js'
import { DEFAULT_LIFECYCLE, err, ok, type Result } from '../core/index.js'
import { compileFaultRule, type RawFault } from './fault-plan.js'
import { toLifecycle, type RawStep } from './lifecycle-script.js'
import { compileRequestMatcher, type Report } from './match-request.js'
import type { FaultRule, Scenario, ScenarioProblem } from './scenario.js'
import { STEPS_WORDING } from './steps-wording.js'

/** One scenario file, read by the caller (app/), which names it. */
export interface ScenarioFile {
  readonly text: string
  /** The file as the user should see it in messages. */
  readonly source: string
  /** The file name without folder and extension: the id of a one-scenario file. */
  readonly stem: string
}

interface RawScenario {
  readonly description: string
  readonly match?: Readonly<Record<string, unknown>>
  readonly lifecycle?: readonly RawStep[]
  readonly faults?: readonly RawFault[]
  readonly steps?: readonly object[]
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/

/** A loader with the published JSON Schema compiled once; it reads any number of files. */
export interface ScenarioLoader {
  /**
   * Parses, checks and compiles scenario files, reporting every problem of every file with
   * its line and JSON pointer. Ids must be unique across all the files given.
   */
  load(files: readonly ScenarioFile[]): Result<Scenario[], ScenarioProblem[]>
}

/**
 * Compiles the scenario file schema (spec/callsim-scenario.schema.json, passed in by app/) with
 * the schemas it refers to by `$id` (spec/callsim-steps.schema.json for `steps`).
 * @example createScenarioLoader(JSON.parse(readFileSync('spec/callsim-scenario.schema.json', 'utf8')), [stepsSchema]).load(files)
 */
export function createScenarioLoader(
  schema: object,
  referenced: readonly object[] = [],
  cache: CompileCache = new CompileCache(),
): ScenarioLoader {
  // The project's own format: strict, so a typo in the schema fails at once, and every error reported.
  // Through the contract layer's cache, so that a built callsim takes it from dist/spec-cache.
  const validate: ValidateFunction = compileJsonSchema(
    embedReferenced(schema, referenced),
    { allErrors: true, strict: true, allowUnionTypes: true, verbose: true },
    cache,
  )
  return {
    load(files) {
      const problems: ScenarioProblem[] = []
      const scenarios: Scenario[] = []
      for (const file of files) scenarios.push(...loadFile(file, validate, cache, problems))
      problems.push(...duplicateIds(scenarios))
      return problems.length > 0 ? err(problems) : ok(scenarios)
    },
  }
}

/**
 * Puts each referenced schema under `definitions`, where its `$id` makes it the target of a
 * `$ref` by that id, so one self-contained schema compiles (and caches) as before.
 */
function embedReferenced(schema: object, referenced: readonly object[]): object {
  if (referenced.length === 0) return schema
  const root = schema as { definitions?: Record<string, unknown> }
  const embedded = Object.fromEntries(
    referenced.map((entry) => {
      // A `$schema` below the root is not allowed; the root's dialect applies to the embedded one.
      const { $schema: _dialect, ...rest } = entry as { $schema?: unknown; $id?: unknown }
      return [`embedded:${String(rest.$id)}`, rest]
    }),
  )
  return { ...schema, definitions: { ...root.definitions, ...embedded } }
}

/** How many scenarios a file holds under `scenarios:` (0 for a one-scenario file). */
function scenarioCount(data: object): number {
  const scenarios = (data as { scenarios?: unknown }).scenarios
  return typeof scenarios === 'object' && scenarios !== null ? Object.keys(scenarios).length : 0
}

function loadFile(
  file: ScenarioFile,
  validate: ValidateFunction,
  cache: CompileCache,
  problems: ScenarioProblem[],
): Scenario[] {
  const parsed = parseYamlSource(file.text, file.source, cache)
  if (!parsed.ok) {
    problems.push(
      ...parsed.error.map((p) => ({
        source: file.source,
        line: p.line,
        pointer: p.pointer,
        message: p.message,
      })),
    )
    return []
  }
  const yaml = parsed.value
  const at = (pointer: string, message: string): void => {
    problems.push({ source: file.source, line: yaml.lineOf(pointer), pointer, message })
  }
  if (typeof yaml.data !== 'object' || yaml.data === null || Array.isArray(yaml.data)) {
    at(
      '',
      'a scenario file must be a mapping with at least a `description` (or `scenarios:` holding several); see docs/scenarios.md',
    )
    return []
  }
  const count = scenarioCount(yaml.data)
  if (count > MAX_SCENARIOS_PER_FILE) {
    at(
      '/scenarios',
      `${count} scenarios in one file, more than the ${MAX_SCENARIOS_PER_FILE} callsim reads from one file; split them over several files`,
    )
    return []
  }
  // A text this same validator accepted before (the build checked the shipped files) is not
  // checked again; any other text is checked here.
  if (!cache.accepted(validate, file.text)) {
    if (!validate(yaml.data)) {
      for (const { pointer, message } of explainFileErrors(validate.errors, STEPS_WORDING))
        at(pointer, message)
      return []
    }
    cache.accept(validate, file.text)
  }
  const data = yaml.data as { scenarios?: Readonly<Record<string, RawScenario>> } & RawScenario
  if (data.scenarios) {
    return Object.entries(data.scenarios).flatMap(([id, raw]) =>
      compileScenario(id, raw, `/scenarios${toPointer([id])}`, file, yaml, at),
    )
  }
  if (!ID_PATTERN.test(file.stem)) {
    at(
      '',
      `the file name is the scenario id, and "${file.stem}" is not a valid one: rename the file to lower-case letters, digits and dashes (e.g. busy-callee.yaml)`,
    )
    return []
  }
  return compileScenario(file.stem, data, '', file, yaml, at)
}

function compileScenario(
  id: string,
  raw: RawScenario,
  pointer: string,
  file: ScenarioFile,
  yaml: YamlSource,
  report: Report,
): Scenario[] {
  let problems = 0
  const counting: Report = (at, message) => {
    problems += 1
    report(at, message)
  }
  const match = raw.match && compileRequestMatcher(raw.match, `${pointer}/match`, counting)
  const lifecycle = raw.lifecycle
    ? toLifecycle(raw.lifecycle, `${pointer}/lifecycle`, counting)
    : DEFAULT_LIFECYCLE
  const faults = (raw.faults ?? [])
    .map((fault, index) =>
      compileFaultRule(fault, index, `${pointer}/faults/${index}`, counting, id),
    )
    .filter((rule): rule is FaultRule => rule !== undefined)
  if (problems > 0) return []
  return [
    {
      id,
      description: raw.description,
      origin: { source: file.source, line: yaml.lineOf(pointer), pointer, lineOf: yaml.lineOf },
      match,
      lifecycle,
      faults,
      steps: raw.steps ?? [],
      definition: raw,
    },
  ]
}

function duplicateIds(scenarios: readonly Scenario[]): ScenarioProblem[] {
  const byId = new Map<string, Scenario[]>()
  for (const scenario of scenarios)
    byId.set(scenario.id, [...(byId.get(scenario.id) ?? []), scenario])
  const problems: ScenarioProblem[] = []
  for (const [id, same] of byId) {
    if (same.length < 2) continue
    const places = same.map(
      (s) => `${s.origin.source}${s.origin.line === undefined ? '' : `:${s.origin.line}`}`,
    )
    for (const scenario of same.slice(1)) {
      problems.push({
        source: scenario.origin.source,
        line: scenario.origin.line,
        pointer: scenario.origin.pointer,
        message: `the scenario id "${id}" is defined more than once (${places.join(', ')}); ids are unique across all scenario folders, so rename one`,
      })
    }
  }
  return problems
}
