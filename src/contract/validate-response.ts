import type { CompiledOperation, CompiledResponse } from './compile-validators.js'
import { findMediaType, mediaTypeOf, runValidator } from './validate.js'
import type { Violation } from './violation.js'

/** The declared response for a status: exact code first, then `4XX`-style ranges, then default. */
export function findResponse(
  operation: CompiledOperation,
  status: number,
): CompiledResponse | undefined {
  return (
    operation.responses.get(String(status)) ??
    operation.responses.get(`${String(status)[0]}XX`) ??
    operation.responses.get('DEFAULT')
  )
}

export interface ResponseParts {
  readonly status: number
  readonly contentType: string | undefined
  readonly body: unknown
  /** Lower-case header names. */
  readonly headers: Record<string, unknown>
  readonly direction?: 'response' | 'callback'
}

/** Checks a response callsim is about to send (or received, for the runner) against the spec. */
export function validateResponse(operation: CompiledOperation, parts: ResponseParts): Violation[] {
  const base = {
    direction: parts.direction ?? 'response',
    operationId: operation.operationId,
    status: parts.status,
  } as const
  const declared = findResponse(operation, parts.status)
  if (!declared) {
    const statuses = [...operation.responses.keys()].join(', ')
    return [
      {
        ...base,
        location: 'status',
        path: 'status',
        keyword: 'status',
        message: `status ${parts.status} is not declared for ${operation.operationId} (declared: ${statuses})`,
      },
    ]
  }
  const violations: Violation[] = []
  for (const [name, header] of declared.headers) {
    const value = parts.headers[name]
    if (value === undefined) {
      if (header.required)
        violations.push({
          ...base,
          location: 'header',
          path: `header.${name}`,
          keyword: 'required',
          message: `header ${name} is required`,
        })
      continue
    }
    if (header.validate) {
      violations.push(...runValidator(header.validate, value, base, 'header', `header ${name}`))
    }
  }
  const hasBody = parts.body !== undefined
  if (declared.content.size === 0) {
    if (hasBody)
      violations.push({
        ...base,
        location: 'body',
        path: 'body',
        keyword: 'no-content',
        message: `status ${parts.status} of ${operation.operationId} declares no body, but one was sent`,
      })
    return violations
  }
  if (!hasBody) {
    violations.push({
      ...base,
      location: 'body',
      path: 'body',
      keyword: 'required-body',
      message: `status ${parts.status} of ${operation.operationId} declares a body, but none was sent`,
    })
    return violations
  }
  const mediaType = mediaTypeOf(parts.contentType)
  const key = mediaType === undefined ? undefined : findMediaType(declared.content, mediaType)
  if (key === undefined) {
    violations.push({
      ...base,
      location: 'content-type',
      path: 'header.content-type',
      keyword: 'content-type',
      message: `Content-Type ${mediaType ?? '(none)'} is not declared for status ${parts.status}`,
    })
    return violations
  }
  const validate = declared.content.get(key)
  if (validate)
    violations.push(...runValidator(validate, parts.body, base, 'body', 'response body'))
  return violations
}
