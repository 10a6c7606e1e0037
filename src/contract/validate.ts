import type { ErrorObject, ValidateFunction } from 'ajv'
import type { ValueLocation, Violation } from './violation.js'

const MAX_VIOLATIONS = 5

/** `/offer/sdp` → `offer.sdp`, `/sessions/0/callId` → `sessions[0].callId`. */
function toFieldPath(instancePath: string): string {
  let out = ''
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    out += /^\d+$/.test(segment) ? `[${segment}]` : out === '' ? segment : `.${segment}`
  }
  return out
}

function describeRule(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'required':
      return `is required`
    case 'additionalProperties':
      return `is not an allowed property`
    case 'pattern': {
      const pattern = String(params.pattern)
      return pattern.length <= 80
        ? `must match the pattern ${pattern}`
        : 'does not match the format the spec requires (pattern)'
    }
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
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

const LOCATION_PREFIX: Record<ValueLocation, string> = {
  body: '',
  path: 'path parameter ',
  query: 'query parameter ',
  header: 'header ',
  status: '',
  'content-type': '',
}

/** Turns ajv's errors into violations whose messages name the field and the rule. */
export function toViolations(
  errors: readonly ErrorObject[] | null | undefined,
  base: Pick<Violation, 'direction' | 'operationId' | 'status'>,
  location: ValueLocation,
  emptyPathName: string,
): Violation[] {
  const violations: Violation[] = []
  const seen = new Set<string>()
  const list = errors ?? []
  const branchErrors = findBranchErrors(list)
  for (const [index, error] of list.entries()) {
    // A failed branch of oneOf/anyOf reports every sub-error; the summary line is enough.
    if (branchErrors.has(index)) continue
    // A discriminator's if/then adds 'must match "then" schema'; the errors inside say what failed.
    if (error.keyword === 'if') continue
    const params = error.params as Record<string, unknown>
    let field = toFieldPath(error.instancePath)
    if (location === 'header') field = field.toLowerCase()
    if (error.keyword === 'required')
      field =
        field === '' ? String(params.missingProperty) : `${field}.${String(params.missingProperty)}`
    if (error.keyword === 'additionalProperties')
      field =
        field === ''
          ? String(params.additionalProperty)
          : `${field}.${String(params.additionalProperty)}`
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

/**
 * The errors that belong to the branches of a failed oneOf/anyOf. ajv reports them just before
 * the summary error, and when a branch is a `$ref`ed component their schemaPath restarts inside
 * that component, so they are told apart by position: an error at or below the summary's
 * instance path that comes before it.
 */
function findBranchErrors(errors: readonly ErrorObject[]): Set<number> {
  const branch = new Set<number>()
  errors.forEach((error, index) => {
    if (error.schemaPath.includes('/oneOf/') || error.schemaPath.includes('/anyOf/'))
      branch.add(index)
    if (error.keyword !== 'oneOf' && error.keyword !== 'anyOf') return
    const at = error.instancePath
    for (let earlier = index - 1; earlier >= 0; earlier -= 1) {
      const path = errors[earlier]?.instancePath ?? ''
      if (path === at || path.startsWith(`${at}/`)) branch.add(earlier)
    }
  })
  return branch
}

export function runValidator(
  validate: ValidateFunction,
  value: unknown,
  base: Pick<Violation, 'direction' | 'operationId' | 'status'>,
  location: ValueLocation,
  emptyPathName: string,
): Violation[] {
  if (validate(value)) return []
  return toViolations(validate.errors, base, location, emptyPathName)
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase()
  return type === '' ? undefined : type
}

/** Picks the declared media type that fits, honouring wildcards such as `application/*`. */
export function findMediaType<T>(
  content: ReadonlyMap<string, T>,
  mediaType: string,
): string | undefined {
  if (content.has(mediaType)) return mediaType
  const [type] = mediaType.split('/')
  for (const declared of content.keys()) {
    if (declared === '*/*' || declared === `${type}/*`) return declared
    // application/problem+json and friends are JSON too.
    if (declared === 'application/json' && /^application\/[\w.-]+\+json$/.test(mediaType))
      return declared
  }
  return undefined
}
