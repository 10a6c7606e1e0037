import type { CompiledOperation } from './compile-validators.js'
import { findMediaType, mediaTypeOf, runValidator } from './validate.js'
import type { Violation } from './violation.js'

export interface RequestParts {
  readonly pathParams: Record<string, unknown>
  readonly query: Record<string, unknown>
  /** Lower-case header names, as Node delivers them. */
  readonly headers: Record<string, unknown>
  readonly hasBody: boolean
  readonly contentType: string | undefined
  readonly body: unknown
}

export interface ValidatedRequest {
  readonly violations: Violation[]
  /** True when the body's media type is not one the operation accepts (HTTP 415). */
  readonly unsupportedMediaType: boolean
}

const NO_NAMES: readonly string[] = []

/** The router hands over an empty segment as `''` (`GET /sessions/`): the parameter is missing. */
function missingPathParameters(
  operation: CompiledOperation,
  pathParams: Record<string, unknown>,
): readonly string[] {
  let missing: string[] | undefined
  for (const parameter of operation.parameters)
    if (parameter.in === 'path' && pathParams[parameter.name] === '')
      (missing ??= []).push(parameter.name)
  return missing ?? NO_NAMES
}

/**
 * Checks parameters and body against the operation. Parameter objects are coerced in place
 * (`"5"` becomes 5 where the spec says integer) and receive their declared defaults.
 */
export function validateRequest(
  operation: CompiledOperation,
  parts: RequestParts,
): ValidatedRequest {
  const base = { direction: 'request', operationId: operation.operationId } as const
  const violations: Violation[] = []
  const { path, query, header } = operation.validateParameters
  const missing = missingPathParameters(operation, parts.pathParams)
  for (const name of missing) {
    violations.push({
      ...base,
      location: 'path',
      path: `path.${name}`,
      keyword: 'missing-path-parameter',
      message: `path parameter ${name} is missing or empty; put the ${name} in the URI (${operation.pathTemplate})`,
    })
  }
  if (path) {
    // An empty parameter is reported once, as missing, not again by its schema's pattern.
    const checked = runValidator(path, parts.pathParams, base, 'path', 'path parameters')
    violations.push(...checked.filter((v) => !missing.some((name) => v.path === `path.${name}`)))
    addNonFiniteNumbers(violations, parts.pathParams, base, 'path')
  }
  if (query) {
    violations.push(...runValidator(query, parts.query, base, 'query', 'query parameters'))
    addNonFiniteNumbers(violations, parts.query, base, 'query')
  }
  if (header) {
    for (const violation of runValidator(header, parts.headers, base, 'header', 'headers')) {
      const lower = violation.path.slice('header.'.length)
      const name = operation.headerNames.get(lower) ?? lower
      violations.push({
        ...violation,
        path: `header.${name}`,
        message: violation.message.replace(`header ${lower}`, `header ${name}`),
      })
    }
    addNonFiniteNumbers(violations, parts.headers, base, 'header')
  }

  const body = operation.requestBody
  if (!body) return { violations, unsupportedMediaType: false }
  if (!parts.hasBody) {
    if (body.required) {
      violations.push({
        ...base,
        location: 'body',
        path: 'body',
        keyword: 'required-body',
        message: 'request body is required and must be a JSON object',
      })
    }
    return { violations, unsupportedMediaType: false }
  }
  const mediaType = mediaTypeOf(parts.contentType)
  const declared = mediaType === undefined ? undefined : findMediaType(body.content, mediaType)
  if (declared === undefined) {
    const accepted = [...body.content.keys()].join(', ')
    violations.push({
      ...base,
      location: 'content-type',
      path: 'header.content-type',
      keyword: 'content-type',
      message: `Content-Type ${mediaType ?? '(none)'} is not accepted; send ${accepted}`,
    })
    return { violations, unsupportedMediaType: true }
  }
  const validate = body.content.get(declared)
  if (validate) violations.push(...runValidator(validate, parts.body, base, 'body', 'request body'))
  return { violations, unsupportedMediaType: false }
}

const isNonFinite = (item: unknown): boolean => typeof item === 'number' && !Number.isFinite(item)

/**
 * Adds to `violations` the parameters whose text ajv coerced to Infinity (`offset=1e400`): ajv
 * lets those through as numbers, and the face would then compute with them and answer with null
 * where the spec says integer. Declared minimum and maximum checks do not catch them when the
 * spec sets none. It runs on every request, so it allocates nothing when all is well.
 */
function addNonFiniteNumbers(
  violations: Violation[],
  values: Record<string, unknown>,
  base: Pick<Violation, 'direction' | 'operationId'>,
  location: 'path' | 'query' | 'header',
): void {
  for (const name in values) {
    if (!Object.hasOwn(values, name)) continue
    const value = values[name]
    if (isNonFinite(value) || (Array.isArray(value) && value.some(isNonFinite))) {
      violations.push({
        ...base,
        location,
        path: `${location}.${name}`,
        keyword: 'maximum',
        message: `${LOCATION_NAME[location]} ${name} is out of range: it must be a finite number`,
      })
    }
  }
}

const LOCATION_NAME = { path: 'path parameter', query: 'query parameter', header: 'header' }
