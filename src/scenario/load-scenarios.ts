import type { ErrorObject, ValidateFunction } from 'ajv'
import {
  CompileCache,
  MAX_SCENARIOS_PER_FILE,
  compileJsonSchema,
  parseYamlSource,
  toPointer,
  type YamlSource,
} from '../contract/index.js'
import { DEFAULT_LIFECYCLE, err, ok, type Result } from '../core/index.js'
import { compileFaultRule, type RawFault } from './fault-plan.js'
import { toLifecycle, type RawStep } from './lifecycle-script.js'
import { compileRequestMatcher, type Report } from './match-request.js'
import type { FaultRule, Scenario, ScenarioProblem } from './scenario.js'

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

const TYPE_NAMES: Record<string, string> = {
  object: 'an object (key: value pairs)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
}

function show(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 59)}…` : text
}

function schemaDescription(schema: unknown): string | undefined {
  const description = (schema as { description?: unknown } | undefined)?.description
  return typeof description === 'string' ? description : undefined
}

/** Turns an ajv error into a pointer and a sentence a newcomer can act on. */
function explain(error: ErrorObject): { pointer: string; message: string } {
  const pointer = error.instancePath
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required': {
      const property = String(params.missingProperty)
      const hint = schemaDescription(
        (error.parentSchema?.properties as Record<string, unknown> | undefined)?.[property],
      )
      return {
        pointer,
        message: `missing required property \`${property}\`${hint ? `: ${hint}` : ''}`,
      }
    }
    case 'additionalProperties': {
      const property = String(params.additionalProperty)
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {})
      return {
        pointer: `${pointer}${toPointer([property])}`,
        message: `unknown property \`${property}\`; allowed here: ${allowed.join(', ')}`,
      }
    }
    case 'enum':
      return {
        pointer,
        message: `${show(error.data)} is not allowed here; use one of: ${(params.allowedValues as unknown[]).join(', ')}`,
      }
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((type) => TYPE_NAMES[type] ?? type)
      const actual = Array.isArray(error.data)
        ? 'array'
        : error.data === null
          ? 'null'
          : typeof error.data
      return {
        pointer,
        message: `must be ${expected.join(' or ')}, not ${TYPE_NAMES[actual] ?? actual}`,
      }
    }
    case 'propertyNames': {
      const name = String(params.propertyName)
      const rule = schemaDescription(error.schema)
      return {
        pointer: `${pointer}${toPointer([name])}`,
        message: `"${name}" is not a valid name here${rule ? `: ${rule}` : ''}`,
      }
    }
    case 'pattern':
    case 'minProperties':
    case 'maxProperties': {
      const rule = schemaDescription(error.parentSchema)
      return {
        pointer,
        message: rule
          ? `${show(error.data)} does not fit: ${rule}`
          : `${show(error.data)} ${error.message ?? 'is not valid'}`,
      }
    }
    default:
      return { pointer, message: `${show(error.data)} ${error.message ?? 'is not valid'}` }
  }
}

/** Keeps the errors that say something: `if` wrappers and pattern echoes of propertyNames go. */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const namedPaths = new Set(
    errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath),
  )
  return errors.filter(
    (e) =>
      e.keyword !== 'if' &&
      !(namedPaths.has(e.instancePath) && e.schemaPath.includes('/propertyNames/')),
  )
}

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
      for (const error of usefulErrors(validate.errors ?? [])) {
        const { pointer, message } = explain(error)
        at(pointer, message)
      }
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
