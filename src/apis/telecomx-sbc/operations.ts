import type { Faker } from '@faker-js/faker'
import type { FaceRequest, FaceResponse, OperationHandler, Principal } from '../face.js'
import { accessDenied, sessionIdMissing, sessionNotFound } from './errors.js'
import type { SbcSessionIndex } from './sbc-session-index.js'
import {
  toSbcSession,
  toSbcSessionSummary,
  type SbcSession,
  type SbcSessionSummary,
} from './to-sbc-session.js'

export const FACE_ID = 'telecomx-sbc'

export interface SbcDeps {
  /** The face's view of the network's calls, kept from domain events. */
  readonly sessions: SbcSessionIndex
  /** One faker for the face; it is reseeded with each call's dataSeed before use. */
  readonly faker: Faker
}

const NEEDS = 'this API needs the access level ADMIN, or RESELLER_ADMIN with the TELE feature'

function featuresOf(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string')
  // `callsim token --claim features=TELE` gives a string; accept a comma or space separated list too.
  return typeof claim === 'string' ? claim.split(/[\s,]+/).filter(Boolean) : []
}

/**
 * TelecomX access levels: ADMIN, or RESELLER_ADMIN with the TELE feature. They travel in the
 * token's `accessLevel` and `features` claims. Returns why access is refused, or undefined.
 */
function refuseAccess(principal: Principal | undefined): string | undefined {
  // An operation without a security requirement (a user's spec) is public: no level to check.
  if (principal === undefined) return undefined
  const level = principal.claims.accessLevel
  if (level === 'ADMIN') return undefined
  if (level === 'RESELLER_ADMIN') {
    if (featuresOf(principal.claims.features).includes('TELE')) return undefined
    return `the token's accessLevel is RESELLER_ADMIN but its features claim lacks TELE; ${NEEDS}`
  }
  if (level === undefined) return `the token has no accessLevel claim; ${NEEDS}`
  return `the token's accessLevel ${JSON.stringify(level)} is not enough; ${NEEDS}`
}

/** Query values arrive as text (a repeated parameter as a list); the request stage has checked them. */
function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value
}

function readInteger(value: unknown, fallback: number): number {
  const raw = first(value)
  return raw === undefined || raw === '' ? fallback : Number(raw)
}

function readBoolean(value: unknown): boolean {
  const raw = first(value)
  return raw === true || raw === 'true'
}

function readText(value: unknown): string | undefined {
  const raw = first(value)
  return raw === undefined ? undefined : String(raw)
}

export function createOperations(deps: SbcDeps): Record<string, OperationHandler> {
  return {
    getSession(request: FaceRequest): FaceResponse {
      const refused = refuseAccess(request.principal)
      if (refused) return accessDenied(refused)
      const callId = String(request.pathParams.callId ?? '').trim()
      if (callId === '') return sessionIdMissing()
      const call = deps.sessions.get(callId)
      if (!call) return sessionNotFound(callId)
      return { status: 200, body: toSbcSession(call, deps.faker), callId: call.id }
    },

    listSessions(request: FaceRequest): FaceResponse {
      const refused = refuseAccess(request.principal)
      if (refused) return accessDenied(refused)
      const { query } = request
      const offset = readInteger(query.offset, 0)
      const limit = readInteger(query.limit, 100)
      const page = deps.sessions.list(
        {
          live: readBoolean(query.live),
          direction: readText(query.direction),
          international: readBoolean(query.international),
          customer: readText(query.customer),
          number: readText(query.number),
        },
        offset,
        limit,
      )
      const full = readBoolean(query.full)
      // Only the page itself is projected; `total` counts every match.
      const sessions: (SbcSession | SbcSessionSummary)[] = page.calls.map((call) =>
        full ? toSbcSession(call, deps.faker) : toSbcSessionSummary(call),
      )
      return { status: 200, body: { offset, limit, total: page.total, sessions } }
    },
  }
}
