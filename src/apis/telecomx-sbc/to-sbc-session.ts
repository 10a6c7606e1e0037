import type { Faker } from '@faker-js/faker'
import type { Call } from '../../core/index.js'
import { toIsoTimestamp } from '../iso-timestamp.js'
import { ANONYMOUS, customerAddressOf, customerIdOf, idFor, toSbcNumber } from './sbc-numbers.js'

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

/** The fields every view of a session shows, taken from the call's own history. */
export function toSbcSessionSummary(call: Call): SbcSessionSummary {
  const summary: SbcSessionSummary = {
    callId: call.sipCallId,
    aNumber: toSbcNumber(call.originator.address),
    bNumber: toSbcNumber(call.receiver.address),
    direction: directionOf(call),
    started: toIsoTimestamp(call.createdAt),
  }
  if (call.answeredAt !== undefined) summary.answered = toIsoTimestamp(call.answeredAt)
  if (call.endedAt !== undefined) summary.ended = toIsoTimestamp(call.endedAt)
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
