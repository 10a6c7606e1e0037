import type { Faker } from '@faker-js/faker'
import { createRandom, type Call } from '../../core/index.js'

/** SbcSession of spec/telecomx/sbc-session.yaml: the SBC's record of one call. */
export interface SbcSession {
  callId: string
  aNumber?: string
  aNumberPrivacy?: 0 | 1
  bNumber?: string
  sbcServer?: string
  sourcePeer?: string
  destinationPeer?: string
  rtpProxyId?: number
  rtpProxyFlags?: string
  sourceIP?: string
  destinationIP?: string
  direction?: SbcDirection
  mobileOriginated?: 0 | 1
  mvno?: string
  mvnoData?: string
  started?: string
  answered?: string
  ended?: string
  endedReason?: string
  endedBy?: 'A' | 'B' | 'F' | 'S'
  userAgent?: string
  sourceCustomerId?: string
  sourceVoiceAccountId?: string
  sourceRatePlanId?: string
  destinationCustomerId?: string
  userName?: string
  userLocation?: string
  userExtension?: string
  rtpStat?: string
}

/** SbcSessionSummary: what the list operation returns unless `full` is true. */
export type SbcSessionSummary = Pick<
  SbcSession,
  | 'callId'
  | 'aNumber'
  | 'bNumber'
  | 'direction'
  | 'started'
  | 'answered'
  | 'ended'
  | 'endedReason'
  | 'endedBy'
>

/**
 * TelecomX: 'O' for calls received from a trusted host, 'I' for calls received from a peer.
 * callsim's API clients are the trusted hosts, so a call the client placed (CAMARA
 * origination, Click2Call) is 'O', and a call the network offered to the client is 'I'.
 */
export type SbcDirection = 'I' | 'O'

export function directionOf(call: Call): SbcDirection {
  return call.side === 'originating' ? 'O' : 'I'
}

const ANONYMOUS = 'sip:anonymous@anonymous.invalid'

/**
 * The number an SBC logs for a party: the E.164 form of a tel: URI ('+4581808888'), the user
 * part of a sip: URI, `anonymous` for the RFC 3323 anonymous URI and the service name of an
 * emergency URN ('sos'). A local number with a global phone-context (RFC 3966 §5.1.5) is
 * written out in full.
 */
export function toSbcNumber(address: string): string {
  return sbcNumbers(address)
}

/**
 * `derive`, with its results kept per key: a few addresses make most calls, and every list
 * request derives two numbers per session. At `bound` keys the memory starts over, and keys
 * longer than an address (256 characters) are not kept, so it stays small and flat whatever
 * the addresses clients send.
 */
function keptUpTo<T>(bound: number, derive: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>()
  return (key) => {
    if (key.length > 256) return derive(key)
    let value = kept.get(key)
    if (value === undefined) {
      if (kept.size >= bound) kept.clear()
      value = derive(key)
      kept.set(key, value)
    }
    return value
  }
}

const KEPT_ADDRESSES = 10_000

const sbcNumbers = keptUpTo(KEPT_ADDRESSES, (address) => {
  if (address === ANONYMOUS) return 'anonymous'
  const urn = /^urn:service:(.+)$/.exec(address)
  if (urn) return urn[1] as string
  const scheme = /^(tel|sips?):(.*)$/.exec(address)
  if (!scheme) return address
  const rest = scheme[2] as string
  // sip:user;params@host;uri-params: the user part is everything before '@'.
  const userPart = scheme[1] === 'tel' ? rest : (rest.split('@', 1)[0] as string)
  const [number = '', ...params] = userPart.split(';')
  const context = params
    .find((param) => param.startsWith('phone-context='))
    ?.slice('phone-context='.length)
  // RFC 3966 visual separators ('-', '.', '(', ')') are not part of the number.
  const digits = /^\+?[0-9().-]+$/.test(number) ? number.replace(/[().-]/g, '') : number
  if (!digits.startsWith('+') && context !== undefined && /^\+[0-9]+$/.test(context))
    return `${context}${digits}`
  return digits
})

/** E.164 country codes of one and two digits (ITU-T E.164 list); every other code has three. */
const SHORT_COUNTRY_CODES = new Set(
  '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
)

/** The country calling code of an E.164 number ('+4581808888' → '45'), if it is one. */
function countryCodeOf(number: string): string | undefined {
  if (!/^\+[1-9][0-9]{4,14}$/.test(number)) return undefined
  const digits = number.slice(1)
  for (const length of [1, 2]) {
    const code = digits.slice(0, length)
    if (SHORT_COUNTRY_CODES.has(code)) return code
  }
  return digits.slice(0, 3)
}

/**
 * A call, given its A- and B-number in their SBC form, is international when both numbers are
 * E.164 and the B-number's country code differs from the A-number's. An anonymous or non-E.164
 * caller gives nothing to compare with, so such a call is not counted as international.
 */
export function areInternational(aNumber: string, bNumber: string): boolean {
  const a = countryCodeOf(aNumber)
  const b = countryCodeOf(bNumber)
  return a !== undefined && b !== undefined && a !== b
}

/** The address on the API client's end: the TelecomX customer's own line. */
function customerAddressOf(call: Call): string {
  return call.side === 'originating' ? call.originator.address : call.receiver.address
}

/** 32-bit FNV-1a: a stable hash so that ids follow the address, not the call. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** A 24-digit upper-case hex id (the TelecomX id form) derived from `key`. */
function idFor(key: string): string {
  const random = createRandom(hashOf(key))
  let id = ''
  for (let i = 0; i < 24; i += 1) id += random.int(0, 15).toString(16).toUpperCase()
  return id
}

/**
 * The customer that owns a number: the same address always has the same customer id, so the
 * `customer` filter finds every call of one subscriber.
 */
export function customerIdOf(address: string): string {
  return customerIds(address)
}

// Deriving an id draws 24 seeded numbers (~2 µs).
const customerIds = keptUpTo(KEPT_ADDRESSES, (address) => idFor(`customer:${address}`))

/** The customer an SBC session belongs to (the source customer of 'O', the destination of 'I'). */
export function customerIdOfCall(call: Call): string {
  return customerIdOf(customerAddressOf(call))
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** The fields every view of a session shows, taken from the call's own history. */
export function toSbcSessionSummary(call: Call): SbcSessionSummary {
  const summary: SbcSessionSummary = {
    callId: call.sipCallId,
    aNumber: toSbcNumber(call.originator.address),
    bNumber: toSbcNumber(call.receiver.address),
    direction: directionOf(call),
    started: iso(call.createdAt),
  }
  if (call.answeredAt !== undefined) summary.answered = iso(call.answeredAt)
  if (call.endedAt !== undefined) summary.ended = iso(call.endedAt)
  // Set by the network on the terminal transition: BYE, CANCEL or the SIP code (486, 480, 603, 404, 500).
  if (call.endedReason !== undefined) summary.endedReason = call.endedReason
  if (call.endedBy !== undefined) summary.endedBy = call.endedBy
  return summary
}

// Documentation-only addresses (RFC 5737 TEST-NET-1 and TEST-NET-3) and fictional peers:
// realistic to look at, never a real host.
const SBC_SERVERS = ['192.0.2.11', '192.0.2.12', '192.0.2.13']
const PEERS = ['Telenor', 'TDC', 'Telia', 'SuperTel', 'Lycamobile', 'GlobalConnect']
const RTP_PROXY_FLAGS = ['rip', 'ri', 'r', 'ie']
const USER_AGENTS = [
  'myPBX 12.3beta7',
  'Yealink SIP-T46U 108.86.0.45',
  'Grandstream GXP2170 1.0.11.23',
  'Zoiper rv2.10.20',
  'Linphone 5.2.5',
  'callsim-webrtc 1.0',
]
const MVNOS = ['Telenor', 'TDC'] as const

/**
 * The vendor fields the network does not model (servers, peers, IPs, RTP, MVNO, user data).
 * The face reseeds one faker with `call.dataSeed` before each call, so the values are the same
 * on every read for the life of the call and under the same `--seed`, without caching
 * anything per call. Measured: about 50 µs for a full session, against 200 µs with faker's
 * default randomizer, whose seed() alone takes 70 µs (see create-vendor-faker.ts).
 */
function addVendorFields(session: SbcSession, call: Call, faker: Faker): void {
  faker.seed(call.dataSeed)
  const outbound = call.side === 'originating'
  const peer = faker.helpers.arrayElement(PEERS)
  session.aNumberPrivacy = call.originator.address === ANONYMOUS ? 1 : 0
  session.sbcServer = faker.helpers.arrayElement(SBC_SERVERS)
  session.rtpProxyId = faker.number.int({ min: 1, max: 8 })
  session.rtpProxyFlags = faker.helpers.arrayElement(RTP_PROXY_FLAGS)
  // The host part of the Call-ID is the host that sent the INVITE (RFC 3261 §8.1.1.4).
  const callIdHost = call.sipCallId.split('@')[1]
  const sourceIP = `198.51.100.${faker.number.int({ min: 2, max: 254 })}`
  session.sourceIP = outbound && callIdHost ? callIdHost : sourceIP
  session.destinationIP = `203.0.113.${faker.number.int({ min: 2, max: 254 })}`
  session.mobileOriginated = faker.datatype.boolean({ probability: 0.3 }) ? 1 : 0
  const mvno = faker.datatype.boolean({ probability: 0.2 })
    ? faker.helpers.arrayElement(MVNOS)
    : undefined
  // TelecomX: a prefix for TDC, an account code for Telenor.
  const mvnoData = mvno === 'TDC' ? faker.string.numeric(4) : faker.string.numeric(11)
  session.userAgent = faker.helpers.arrayElement(USER_AGENTS)
  const userLocation = faker.airline.airport().iataCode
  const userExtension = faker.string.numeric({ length: 3, allowLeadingZeros: false })
  const fallbackName = faker.person.firstName()
  const rtp = [
    faker.number.int({ min: 500, max: 90_000 }),
    faker.number.int({ min: 500, max: 90_000 }),
    faker.number.int({ min: 0, max: 60 }),
    faker.number.int({ min: 1, max: 30 }),
    faker.number.int({ min: 0, max: 9 }),
  ]
  if (mvno) {
    session.mvno = mvno
    session.mvnoData = mvnoData
  }
  const customerAddress = customerAddressOf(call)
  if (outbound) {
    // From a trusted host (the client's own PBX or app) to a peer network.
    session.destinationPeer = peer
    session.sourceCustomerId = customerIdOf(customerAddress)
    session.sourceVoiceAccountId = idFor(`voice-account:${customerAddress}`)
    session.sourceRatePlanId = idFor(`rate-plan:${customerAddress}`)
    session.userName = call.originator.name ?? fallbackName
    session.userLocation = userLocation
    session.userExtension = userExtension
  } else {
    // From a peer network to the client, a customer of the SBC.
    session.sourcePeer = peer
    session.destinationCustomerId = customerIdOf(customerAddress)
  }
  // Media statistics exist only once media has flowed, i.e. after the answer.
  if (call.answeredAt !== undefined) session.rtpStat = rtp.join(',')
}

/** The complete SBC session: the call's history plus the generated vendor fields. */
export function toSbcSession(call: Call, faker: Faker): SbcSession {
  const session: SbcSession = { ...toSbcSessionSummary(call) }
  addVendorFields(session, call, faker)
  return orderLikeSpec(session)
}

const FIELD_ORDER: readonly (keyof SbcSession)[] = [
  'callId',
  'aNumber',
  'aNumberPrivacy',
  'bNumber',
  'sbcServer',
  'sourcePeer',
  'destinationPeer',
  'rtpProxyId',
  'rtpProxyFlags',
  'sourceIP',
  'destinationIP',
  'direction',
  'mobileOriginated',
  'mvno',
  'mvnoData',
  'started',
  'answered',
  'ended',
  'endedReason',
  'endedBy',
  'userAgent',
  'sourceCustomerId',
  'sourceVoiceAccountId',
  'sourceRatePlanId',
  'destinationCustomerId',
  'userName',
  'userLocation',
  'userExtension',
  'rtpStat',
]

/** Emits the properties in the wiki's order, so responses read like the vendor's examples. */
function orderLikeSpec(session: SbcSession): SbcSession {
  const ordered: Record<string, unknown> = {}
  for (const key of FIELD_ORDER) if (session[key] !== undefined) ordered[key] = session[key]
  return ordered as unknown as SbcSession
}
