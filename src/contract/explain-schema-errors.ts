import type { ErrorObject } from 'ajv'
import type { ValueLocation, Violation } from './violation.js'
import { toPointer } from './yaml-source.js'

// The one place that turns ajv's errors into sentences, for the two readers callsim has: a
// client whose request or response broke a spec (traffic: the message names the field, as in
// "offer.sdp is required"), and a user whose file broke one of callsim's own schemas (scenario
// and run files: the message goes with file, line and JSON pointer, quotes the value and says
// what to write instead). Both drop the same noise first.

/**
 * The errors that say something. ajv adds `if` wrappers ('must match "then" schema') around
 * the errors inside the branch, reports every failed branch of a oneOf/anyOf before the summary
 * error, and repeats a propertyNames failure as the pattern error of the name; the summary and
 * the propertyNames error say it once.
 */
function usefulErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const branches = findBranchErrors(errors)
  const namedPaths = new Set(
    errors.filter((e) => e.keyword === 'propertyNames').map((e) => e.instancePath),
  )
  return errors.filter(
    (error, index) =>
      error.keyword !== 'if' &&
      !branches.has(index) &&
      !(namedPaths.has(error.instancePath) && error.schemaPath.includes('/propertyNames/')),
  )
}

/**
 * The errors that belong to the branches of a failed oneOf/anyOf. ajv reports them just before
 * the summary error, and when a branch is a `$ref`ed component their schemaPath restarts inside
 * that component, so they are told apart by position: an error at or below the summary's
 * instance path that comes before it. (ajv drops them when the oneOf/anyOf passes.)
 */
function findBranchErrors(errors: readonly ErrorObject[]): Set<number> {
  const branch = new Set<number>()
  errors.forEach((error, index) => {
    if (/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) branch.add(index)
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') return
    const at = error.instancePath
    for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
      const path = errors[earlier]?.instancePath ?? ''
      if (path === at || path.startsWith(`${at}/`)) branch.add(earlier)
    }
  })
  return branch
}

function paramsOf(error: ErrorObject): Record<string, unknown> {
  return error.params as Record<string, unknown>
}

function listOf(values: unknown): string {
  return (values as unknown[]).map((value) => JSON.stringify(value)).join(', ')
}

// ---------------------------------------------------------------------------------------------
// Traffic: requests, responses and callbacks against a spec.

/** `/offer/sdp` → `offer.sdp`, `/sessions/0/callId` → `sessions[0].callId`. */
function toFieldPath(instancePath: string): string {
  let out = ''
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`
  }
  return out
}

/** The rule a value broke, said of the field: "is required", "must be one of: …". */
function describeRule(error: ErrorObject): string {
  const params = paramsOf(error)
  switch (error.keyword) {
    case 'required':
      return `is required`
    case 'additionalProperties':
      return `is not an allowed property`
    case 'pattern': {
      // A spec's pattern can be a screenful; past 80 characters it would bury the field name.
      const pattern = String(params.pattern)
      return pattern.length <= 80
        ? `must match the pattern ${pattern}`
        : 'does not match the format the spec requires (pattern)'
    }
    case 'enum':
      return `must be one of: ${listOf(params.allowedValues)}`
    case 'type':
      return `must be of type ${String(params.type)}`
    case 'format':
      return `must be a valid ${String(params.format)}`
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters long (maxLength)`
    case 'minLength':
      return `must be at least ${String(params.limit)} characters long (minLength)`
    case 'maximum':
    case 'exclusiveMaximum':
    case 'minimum':
    case 'exclusiveMinimum':
      return `${error.message ?? 'is out of range'} (${error.keyword})`
    default:
      return `${error.message ?? 'is invalid'} (${error.keyword})`
  }
}

const MAX_VIOLATIONS = 5

const LOCATION_PREFIX: Record<ValueLocation, string> = {
  body: '',
  path: 'path parameter ',
  query: 'query parameter ',
  header: 'header ',
  status: '',
  'content-type': '',
}

/**
 * Turns ajv's errors on one part of an HTTP exchange into violations whose messages name the
 * field and the rule (at most five, each said once); `emptyPathName` names the part itself.
 */
export function toViolations(
  errors: readonly ErrorObject[] | null | undefined,
  base: Pick<Violation, 'direction' | 'operationId' | 'status'>,
  location: ValueLocation,
  emptyPathName: string,
): Violation[] {
  const violations: Violation[] = []
  const seen = new Set<string>()
  for (const error of usefulErrors(errors ?? [])) {
    const property = propertyOf(error)
    let field = toFieldPath(error.instancePath)
    if (location === 'header') field = field.toLowerCase()
    if (property !== undefined) field = field === '' ? property : `${field}.${property}`
    const name = field === '' ? emptyPathName : `${LOCATION_PREFIX[location]}${field}`
    const message = `${name} ${describeRule(error)}`
    if (seen.has(message)) continue
    seen.add(message)
    violations.push({
      ...base,
      location,
      path: field === '' ? location : `${location}.${field}`,
      keyword: error.keyword,
      message,
    })
    if (violations.length >= MAX_VIOLATIONS) break
  }
  return violations
}

/** The property a required or additionalProperties error is about: the message's subject. */
function propertyOf(error: ErrorObject): string | undefined {
  const params = paramsOf(error)
  if (error.keyword === 'required') return String(params.missingProperty)
  if (error.keyword === 'additionalProperties') return String(params.additionalProperty)
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Files: a user's scenario and run files against callsim's own schemas (compiled `verbose`, so
// that each error carries the value and the schema it broke).

/** A problem in a user's file, to be reported with the file's name and the pointer's line. */
export interface FileSchemaProblem {
  /** JSON pointer below the checked value; for a missing property, the object that lacks it. */
  readonly pointer: string
  readonly message: string
}

/**
 * What to say where a schema's own words fall short, keyed by the end of ajv's schemaPath
 * (which starts at whichever definition a `$ref` entered last), e.g. the forms a oneOf takes.
 */
export type SchemaWording = readonly (readonly [schemaPathSuffix: string, message: string])[]

const TYPE_NAMES: Record<string, string> = {
  object: 'an object (key: value pairs)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
}

/** A value as a user wrote it, cut to fit a line. */
function show(value: unknown): string {
  const text = JSON.stringify(value)
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 59)}…` : text
}

function descriptionOf(schema: unknown): string | undefined {
  const description = (schema as { description?: unknown } | null | undefined)?.description
  return typeof description === 'string' ? description : undefined
}

function typeNameOf(value: unknown): string {
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value
  return TYPE_NAMES[type] ?? type
}

/** One error as a sentence a newcomer can act on, with the schema's description as the hint. */
function explainForFile(error: ErrorObject): FileSchemaProblem {
  const pointer = error.instancePath
  const params = paramsOf(error)
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)
    ?.properties
  const fits = (rule: string | undefined): string =>
    rule ? `${show(error.data)} does not fit: ${rule}` : `${show(error.data)} ${error.message}`
  switch (error.keyword) {
    case 'required': {
      const property = String(params.missingProperty)
      const hint = descriptionOf(properties?.[property])
      return {
        pointer,
        message: `missing required property \`${property}\`${hint ? `: ${hint}` : ''}`,
      }
    }
    case 'additionalProperties': {
      const property = String(params.additionalProperty)
      return {
        pointer: `${pointer}${toPointer([property])}`,
        message: `unknown property \`${property}\`; allowed here: ${Object.keys(properties ?? {}).join(', ')}`,
      }
    }
    case 'dependencies':
      return {
        pointer,
        message: `\`${String(params.property)}\` needs \`${String(params.missingProperty)}\` beside it`,
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
      return { pointer, message: `must be ${expected.join(' or ')}, not ${typeNameOf(error.data)}` }
    }
    case 'propertyNames': {
      const name = String(params.propertyName)
      const rule = descriptionOf(error.schema)
      return {
        pointer: `${pointer}${toPointer([name])}`,
        message: `"${name}" is not a valid name here${rule ? `: ${rule}` : ''}`,
      }
    }
    case 'not':
      return { pointer, message: fits(descriptionOf(error.schema) ?? 'it is not allowed here') }
    case 'false schema':
      return { pointer, message: 'nothing is allowed here' }
    case 'pattern':
    case 'oneOf':
    case 'anyOf':
    case 'minProperties':
    case 'maxProperties':
      return { pointer, message: fits(descriptionOf(error.parentSchema)) }
    default:
      return { pointer, message: `${show(error.data)} ${error.message ?? 'is not valid'}` }
  }
}

/**
 * Turns ajv's errors on a user's file into problems, each said once: file, line and pointer
 * are the caller's to add. `wording` replaces the sentence for the schema places it names.
 */
export function explainFileErrors(
  errors: readonly ErrorObject[] | null | undefined,
  wording: SchemaWording = [],
): FileSchemaProblem[] {
  const problems: FileSchemaProblem[] = []
  const seen = new Set<string>()
  for (const error of usefulErrors(errors ?? [])) {
    const explained = explainForFile(error)
    const worded = wording.find(([suffix]) => error.schemaPath.endsWith(suffix))?.[1]
    const problem = worded === undefined ? explained : { ...explained, message: worded }
    const key = `${problem.pointer}|${problem.message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push(problem)
  }
  return problems
}
