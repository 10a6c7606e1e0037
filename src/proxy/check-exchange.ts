import {
  validateRequest,
  validateResponse,
  type CompiledOperation,
  type Violation,
} from '../contract/index.js'
import type { ParsedBody } from './read-body.js'

/**
 * Who broke the contract: the client (the app, in its request) or the provider (in its answer
 * or in a callback it sent). Through the proxy callsim judges both sides and serves neither.
 */
export type Side = 'client' | 'provider'

/** A violation with the side at fault, as the proxy journals, logs and serves it. */
export type AttributedViolation = Violation & { readonly side: Side }

export function attribute(side: Side, violations: readonly Violation[]): AttributedViolation[] {
  return violations.map((violation) => ({ ...violation, side }))
}

/** How the client's request stood against the face's spec. */
export interface RequestUnderCheck {
  readonly method: string
  readonly path: string
  readonly operation: CompiledOperation | undefined
  /** Why no operation matched (an unknown path, a method the path does not take). */
  readonly routeMiss: { readonly allowed: readonly string[] } | undefined
  readonly pathParams: Record<string, unknown>
  readonly query: Record<string, unknown>
  /** Lower-case names; copied before validation, which coerces values in place. */
  readonly headers: Record<string, unknown>
  readonly contentType: string | undefined
  readonly body: ParsedBody
}

/** Every way the client's request breaks the operation it is addressed to. */
export function checkRequest(request: RequestUnderCheck): AttributedViolation[] {
  const { operation } = request
  if (!operation) {
    const allowed = request.routeMiss?.allowed ?? []
    return [
      {
        direction: 'request',
        operationId: '(none)',
        location: 'path',
        path: 'path',
        keyword: allowed.length > 0 ? 'method' : 'route',
        message:
          allowed.length > 0
            ? `${request.method} is not allowed on ${request.path}; the spec allows ${allowed.join(', ')}`
            : `no operation of the spec answers ${request.method} ${request.path}`,
        side: 'client',
      },
    ]
  }
  const { body } = request
  const unreadable: Violation[] =
    body.kind === 'unreadable'
      ? [
          {
            direction: 'request',
            operationId: operation.operationId,
            location: 'body',
            path: 'body',
            keyword: 'json',
            message: body.problem,
          },
        ]
      : []
  const checked = validateRequest(operation, {
    pathParams: { ...request.pathParams },
    query: { ...request.query },
    headers: { ...request.headers },
    hasBody: body.kind !== 'none',
    contentType: request.contentType,
    body: body.kind === 'json' || body.kind === 'text' ? body.value : undefined,
  })
  // An unreadable body is reported once, as such, not again as a schema failure of nothing.
  const violations =
    body.kind === 'unreadable'
      ? checked.violations.filter((v) => v.location !== 'body')
      : checked.violations
  return attribute('client', [...unreadable, ...violations])
}

/** How the provider's answer stood against the operation's declared responses. */
export interface ResponseUnderCheck {
  readonly operation: CompiledOperation
  readonly status: number
  readonly headers: Record<string, unknown>
  readonly body: ParsedBody
  /** Whether a value the proxy itself put in the request comes back (a relayed sink). */
  readonly isOwnRewrite?: (violation: Violation, body: unknown) => boolean
}

/** Every way the provider's answer breaks the operation's declared responses. */
export function checkResponse(response: ResponseUnderCheck): AttributedViolation[] {
  const { operation, body } = response
  const base = {
    direction: 'response',
    operationId: operation.operationId,
    status: response.status,
  } as const
  const declared = validateResponse(operation, {
    status: response.status,
    contentType: response.headers['content-type'] as string | undefined,
    body: body.kind === 'json' || body.kind === 'text' ? body.value : undefined,
    headers: response.headers,
  })
  const value = body.kind === 'json' ? body.value : undefined
  const violations: Violation[] =
    body.kind === 'unreadable'
      ? [
          { ...base, location: 'body', path: 'body', keyword: 'json', message: body.problem },
          ...declared.filter((v) => v.keyword !== 'required-body'),
        ]
      : declared
  return attribute(
    'provider',
    violations.filter((violation) => !response.isOwnRewrite?.(violation, value)),
  )
}

/**
 * The `x-callsim-violations` header of a proxied answer: the count first (as `serve` sends
 * it), then how many each side caused, e.g. `2; client=0; provider=2`.
 */
export function violationsHeader(violations: readonly AttributedViolation[]): string {
  const client = violations.filter((v) => v.side === 'client').length
  return `${violations.length}; client=${client}; provider=${violations.length - client}`
}
