import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Face, Principal } from '../../apis/index.js'
import type { CompiledOperation, SecurityAlternative, Violation } from '../../contract/index.js'
import type { RequestContext } from '../request-context.js'
import { continueSafely } from '../continue-safely.js'
import type { SendReply } from '../send-reply.js'

/** The principal behind a token, or the reason the token is refused. */
export type Verification = { ok: true; value: Principal } | { ok: false; error: string }

/** Verifies bearer tokens; the composition root supplies the real (JWT) implementation. */
export interface TokenVerifier {
  /**
   * The principal, or the reason the token is refused. A verifier may answer a token it has
   * already checked synchronously: that spares every later request a promise and a microtask.
   */
  verify(token: string): Verification | Promise<Verification>
}

function hasEvery(principal: Principal, scopes: readonly string[]): boolean {
  for (const scope of scopes) if (!principal.scopes.has(scope)) return false
  return true
}

function missingScopes(
  alternatives: readonly SecurityAlternative[],
  principal: Principal,
): string[] | undefined {
  // Nearly every request's token has what the first alternative asks: no list is built then.
  for (const { scopes } of alternatives) if (hasEvery(principal, scopes)) return undefined
  let smallest: string[] | undefined
  for (const { scopes } of alternatives) {
    const missing = scopes.filter((scope) => !principal.scopes.has(scope))
    if (!smallest || missing.length < smallest.length) smallest = missing
  }
  return smallest
}

type FoundToken =
  | { readonly kind: 'token'; readonly token: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'two-methods' }

/**
 * The bearer token of a request: from the Authorization header, or from the `access_token`
 * query parameter where the operation declares it (RFC 6750 §2.3: a `<script>` element of a
 * JSONP page cannot send headers). RFC 6750 §2 allows one method per request.
 */
function bearerTokenOf(header: string | undefined, context: RequestContext): FoundToken {
  const fromQuery = context.operation?.acceptsQueryToken ? context.query.access_token : undefined
  const hasHeader = header !== undefined && header !== ''
  if (fromQuery !== undefined) {
    if (hasHeader) return { kind: 'two-methods' }
    if (typeof fromQuery !== 'string' || fromQuery === '')
      return { kind: 'refused', reason: 'the access_token query parameter must hold one token' }
    return { kind: 'token', token: fromQuery }
  }
  if (!hasHeader) {
    const where = context.operation?.acceptsQueryToken ? ' or the access_token query parameter' : ''
    return {
      kind: 'refused',
      reason: `the Authorization header${where} is missing; send "Authorization: Bearer <token>" (get a token with \`callsim token\`)`,
    }
  }
  const [scheme, token, extra] = header.trim().split(/\s+/)
  if (scheme?.toLowerCase() !== 'bearer')
    return {
      kind: 'refused',
      reason: `the Authorization scheme is "${scheme ?? ''}", but this API takes only Bearer tokens`,
    }
  if (token === undefined || extra !== undefined)
    return {
      kind: 'refused',
      reason: 'the token is malformed: expected "Authorization: Bearer <token>"',
    }
  return { kind: 'token', token }
}

function twoMethods(context: RequestContext): Violation {
  return {
    direction: 'request',
    operationId: context.operation?.operationId ?? '',
    location: 'query',
    path: 'query.access_token',
    keyword: 'access_token',
    message:
      'the request carries a token both in the Authorization header and in the access_token query parameter; send it one way only (RFC 6750 §2)',
  }
}

/**
 * Whether the operation asks for a token: it states a requirement, and none of its alternatives
 * is empty (`{}`, which means no token is needed).
 */
export const needsToken = (_face: Face, operation: CompiledOperation | undefined): boolean => {
  const security = operation?.security ?? []
  return security.length > 0 && security.every((alternative) => alternative.schemes.length > 0)
}

/**
 * Enforces the operation's `security` requirement as the spec states it: scopes come from
 * the spec, never from a table in code, so every face and spec release is checked alike.
 */
export function authenticate(verifier: TokenVerifier, send: SendReply): RequestHandler {
  /** Acts on the verifier's answer; a function of its own, so a request allocates no closure. */
  const decide = (
    req: Request,
    res: Response,
    next: NextFunction,
    context: RequestContext,
    verified: Verification,
  ): void => {
    if (!verified.ok) {
      send(req, res, context.face.formatError({ kind: 'unauthenticated', reason: verified.error }))
      return
    }
    const missing = missingScopes(context.operation?.security ?? [], verified.value)
    if (missing) {
      send(
        req,
        res,
        context.face.formatError({
          kind: 'permission-denied',
          reason: `the token lacks the scope ${missing.join(' ')}`,
        }),
      )
      return
    }
    context.principal = verified.value
    next()
  }
  // Planned only where the operation needs a token (needsToken).
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    const found = bearerTokenOf(req.headers.authorization, context)
    if (found.kind === 'refused') {
      send(req, res, context.face.formatError({ kind: 'unauthenticated', reason: found.reason }))
      return
    }
    if (found.kind === 'two-methods') {
      const violation = twoMethods(context)
      context.requestViolations = [violation]
      send(req, res, context.face.formatError({ kind: 'invalid-request', violations: [violation] }))
      return
    }
    const verified = verifier.verify(found.token)
    if (verified instanceof Promise)
      verified.then(
        continueSafely(next, (answer: Verification) => decide(req, res, next, context, answer)),
        next,
      )
    else decide(req, res, next, context, verified)
  }
}
