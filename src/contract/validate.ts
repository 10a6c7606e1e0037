import type { ValidateFunction } from 'ajv'
import { toViolations } from './explain-schema-errors.js'
import type { ValueLocation, Violation } from './violation.js'

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
  // What nearly every request sends, answered without splitting or copying it.
  if (contentType === 'application/json') return contentType
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
