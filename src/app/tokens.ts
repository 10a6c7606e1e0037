import { SignJWT, errors, jwtVerify } from 'jose'
import type { IssuedToken, Principal, TokenRequest } from '../apis/index.js'
import type { Clock } from '../core/index.js'
import type { TokenVerifier, Verification } from '../http/index.js'

/** The documented development secret; set --token-secret or CALLSIM_TOKEN_SECRET for anything shared. */
export const DEFAULT_TOKEN_SECRET = 'callsim-development-secret-do-not-use-in-production'
const TOKEN_ISSUER = 'callsim'
const DEFAULT_TOKEN_LIFETIME_MS = 3_600_000
const CACHE_LIMIT = 10_000

export interface TokenService extends TokenVerifier {
  issue(request: TokenRequest & { scope: string }): Promise<IssuedToken>
}

/** Why jose refused a token, in words a client developer can act on. */
function reasonFor(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired; get a new one'
  if (error instanceof errors.JWSSignatureVerificationFailed)
    return 'the token signature is invalid (was it signed with another secret?)'
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss')
      return `the token was not issued by callsim (its "iss" claim must be "${TOKEN_ISSUER}"); get one with \`callsim token\``
    // jose's reason is a bare code such as "check_failed"; its message says what was wrong.
    return `the token claim "${error.claim}" is invalid: ${error.message}`
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token is not signed with HS256'
  return 'the token is malformed: it is not a signed JWT'
}

/**
 * HS256 JWTs checked against the simulator's clock, so a virtual clock can expire them.
 * Verified tokens are cached: a signature is checked once, expiry on every use.
 */
export function createTokenService(secret: string, clock: Clock): TokenService {
  const key = new TextEncoder().encode(secret)
  const cache = new Map<string, { principal: Principal; expiresAt: number }>()
  return {
    async issue(request) {
      const now = clock.now()
      const expiresAt = now + (request.expiresInMs ?? DEFAULT_TOKEN_LIFETIME_MS)
      const token = await new SignJWT({ ...request.claims, scope: request.scope })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(request.sub)
        .setIssuer(TOKEN_ISSUER)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(Math.floor(expiresAt / 1000))
        .sign(key)
      return { token, sub: request.sub, scope: request.scope, expiresAt }
    },
    verify(token) {
      // Answered synchronously when cached: the hot path then needs no promise at all.
      const cached = cache.get(token)
      if (cached) {
        return clock.now() < cached.expiresAt
          ? { ok: true, value: cached.principal }
          : { ok: false, error: 'the token has expired; get a new one' }
      }
      return verifySignature(token)
    },
  }

  async function verifySignature(token: string): Promise<Verification> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        issuer: TOKEN_ISSUER,
        currentDate: new Date(clock.now()),
        requiredClaims: ['sub', 'exp'],
      })
      const sub = payload.sub ?? ''
      if (!/^(tel|sip):/.test(sub))
        return { ok: false, error: 'the token subject must be a tel: or sip: address' }
      const scope = typeof payload.scope === 'string' ? payload.scope : ''
      const principal: Principal = {
        sub,
        scopes: new Set(scope.split(' ').filter(Boolean)),
        claims: payload,
      }
      if (cache.size >= CACHE_LIMIT) cache.clear()
      cache.set(token, { principal, expiresAt: (payload.exp ?? 0) * 1000 })
      return { ok: true, value: principal }
    } catch (error) {
      return { ok: false, error: reasonFor(error) }
    }
  }
}
