/** Where a value sits in an HTTP exchange. */
export type ValueLocation = 'path' | 'query' | 'header' | 'body' | 'status' | 'content-type'

/**
 * One way a request, response or callback breaks its contract. Violations are records, not
 * exceptions: they are journaled, counted and served by the admin API.
 */
export interface Violation {
  readonly direction: 'request' | 'response' | 'callback'
  readonly operationId: string
  readonly status?: number
  readonly location: ValueLocation
  /** A readable JSON path such as `body.offer.sdp` or `header.x-correlator`. */
  readonly path: string
  /** The JSON Schema keyword (or `status`, `content-type`, `required-body`) that failed. */
  readonly keyword: string
  readonly message: string
}

/** Keywords about sizes and ranges: CAMARA answers these with 400 OUT_OF_RANGE. */
const RANGE_KEYWORDS = new Set([
  'maxLength',
  'minLength',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
  'multipleOf',
])

export function isRangeViolation(violation: Violation): boolean {
  return RANGE_KEYWORDS.has(violation.keyword)
}

/** One line a client can act on, bounded so that it fits any error message field. */
export function describeViolations(violations: readonly Violation[], maxLength = 500): string {
  const text = violations.map((v) => v.message).join('; ')
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`
}
