import type { RequestHandler } from 'express'
import type { Principal } from '../../apis/index.js'
import type { SecurityAlternative } from '../../contract/index.js'
import type { RequestContext } from '../request-context.js'
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

function missingScopes(
  alternatives: readonly SecurityAlternative[],
  principal: Principal,
): string[] | undefined {
  let smallest: string[] | undefined
  for (const { scopes } of alternatives) {
    const missing = scopes.filter((scope) => !principal.scopes.has(scope))
    if (missing.length === 0) return undefined
    if (!smallest || missing.length < smallest.length) smallest = missing
  }
  return smallest
}

/**
 * Enforces the operation's `security` requirement as the spec states it: scopes come from
 * the spec, never from a table in code, so every face and spec release is checked alike.
 */
export function authenticate(verifier: TokenVerifier, send: SendReply): RequestHandler {
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    const security = context.operation?.security ?? []
    // No requirement at all, or an alternative naming no scheme ({}), means no token is needed.
    if (security.length === 0 || security.some((alternative) => alternative.schemes.length === 0)) {
      next()
      return
    }
    const refuse = (reason: string): void =>
      send(req, res, context.face.formatError({ kind: 'unauthenticated', reason }))
    const header = req.headers.authorization
    if (header === undefined || header === '') {
      refuse(
        'the Authorization header is missing; send "Authorization: Bearer <token>" (get a token with `callsim token`)',
      )
      return
    }
    const [scheme, token, extra] = header.trim().split(/\s+/)
    if (scheme?.toLowerCase() !== 'bearer') {
      refuse(`the Authorization scheme is "${scheme ?? ''}", but this API takes only Bearer tokens`)
      return
    }
    if (token === undefined || extra !== undefined) {
      refuse('the token is malformed: expected "Authorization: Bearer <token>"')
      return
    }
    const decide = (verified: Verification): void => {
      if (!verified.ok) {
        refuse(verified.error)
        return
      }
      const missing = missingScopes(security, verified.value)
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
    const verified = verifier.verify(token)
    if (verified instanceof Promise) verified.then(decide, next)
    else decide(verified)
  }
}
