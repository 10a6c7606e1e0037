import type { Faker } from '@faker-js/faker'
import type { Call, Network } from '../../core/index.js'
import type { FaceRequest, FaceResponse, OperationHandler, Principal } from '../face.js'
import { accessDenied, sessionIdMissing, sessionNotFound } from './errors.js'
import {
  customerIdOfCall,
  directionOf,
  isInternational,
  isLive,
  toSbcSession,
  toSbcSessionSummary,
  type SbcSession,
  type SbcSessionSummary,
} from './to-sbc-session.js'

export const FACE_ID = 'telecomx-sbc'

export interface SbcDeps {
  readonly network: Network
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
export function refuseAccess(principal: Principal | undefined): string | undefined {
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

/**
 * The `number` filter: part of the A- or B-number. Digits are compared without the '+', which
 * a client may leave out (and which an unencoded query string turns into a space).
 */
function matchesNumber(summary: SbcSessionSummary, needle: string): boolean {
  const digits = needle.replace(/[^0-9]/g, '')
  const numbers = [summary.aNumber ?? '', summary.bNumber ?? '']
  if (digits !== '') return numbers.some((number) => number.replace(/[^0-9]/g, '').includes(digits))
  const text = needle.trim().toLowerCase()
  return numbers.some((number) => number.toLowerCase().includes(text))
}

/** The SBC keeps no index by Call-ID: calls are few (bounded by retention) and a scan is cheap. */
function findBySipCallId(network: Network, sipCallId: string): Call | undefined {
  for (const call of network.allCalls()) if (call.sipCallId === sipCallId) return call
  return undefined
}

export function createOperations(deps: SbcDeps): Record<string, OperationHandler> {
  return {
    getSession(request: FaceRequest): FaceResponse {
      const refused = refuseAccess(request.principal)
      if (refused) return accessDenied(refused)
      const callId = String(request.pathParams.callId ?? '').trim()
      if (callId === '') return sessionIdMissing()
      const call = findBySipCallId(deps.network, callId)
      if (!call) return sessionNotFound(callId)
      return { status: 200, body: toSbcSession(call, deps.faker) }
    },

    listSessions(request: FaceRequest): FaceResponse {
      const refused = refuseAccess(request.principal)
      if (refused) return accessDenied(refused)
      const { query } = request
      const offset = readInteger(query.offset, 0)
      const limit = readInteger(query.limit, 100)
      const number = readText(query.number)
      const customer = readText(query.customer)
      const direction = readText(query.direction)
      const live = readBoolean(query.live)
      const international = readBoolean(query.international)
      const full = readBoolean(query.full)

      // Calls come in creation order, the order the SBC saw the INVITEs.
      const page: Call[] = []
      let total = 0
      for (const call of deps.network.allCalls()) {
        if (live && !isLive(call)) continue
        if (direction !== undefined && directionOf(call) !== direction) continue
        if (international && !isInternational(call)) continue
        if (customer !== undefined && customerIdOfCall(call) !== customer) continue
        if (
          number !== undefined &&
          number !== '' &&
          !matchesNumber(toSbcSessionSummary(call), number)
        )
          continue
        // `total` counts every match; only the page itself is projected.
        if (total >= offset && page.length < limit) page.push(call)
        total += 1
      }
      const sessions: (SbcSession | SbcSessionSummary)[] = page.map((call) =>
        full ? toSbcSession(call, deps.faker) : toSbcSessionSummary(call),
      )
      return { status: 200, body: { offset, limit, total, sessions } }
    },
  }
}
