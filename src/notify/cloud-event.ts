import type {
  Call,
  CallStatus,
  Registration,
  Subscription,
  SubscriptionEndReason,
} from '../core/index.js'

/** The CloudEvent types of CAMARA WebRTC Events, spelled as in the spec. */
export const EVENT_TYPES = {
  sessionInvitation: 'org.camaraproject.webrtc-events.v0.session-invitation',
  sessionStatus: 'org.camaraproject.webrtc-events.v0.session-status',
  registrationEnds: 'org.camaraproject.webrtc-events.v0.registration-ends',
  subscriptionEnded: 'org.camaraproject.webrtc-events.v0.subscription-ended',
} as const

type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES]

/** A structured-mode CloudEvents 1.0 event as callsim sends it (JSON, one object per request). */
export interface CloudEvent {
  readonly id: string
  readonly source: string
  /** An EventType, or the served release's spelling of it (r1.2: subscription-ends). */
  readonly type: string
  readonly specversion: '1.0'
  readonly datacontenttype: 'application/json'
  readonly time: string
  readonly data: Readonly<Record<string, unknown>>
  /** Extension attributes a literally read spec demands (decision 004). */
  readonly [extension: string]: unknown
}

/** Envelope values every event needs: its id, its source and when it happened. */
export interface EventEnvelope {
  readonly id: string
  readonly source: string
  /** Epoch ms. */
  readonly time: number
}

/**
 * The address pattern of the events spec's MediaSession, narrower than call handling's: no
 * `phone-context` numbers, no `urn:service:sos`. Such addresses are left out of session-status
 * data, where they are optional (see docs/events.md).
 */
const EVENT_ADDRESS = /^(tel:\+[0-9]{5,15}|sip:[A-Za-z0-9_.!%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})$/

export function isEventAddress(address: string): boolean {
  return address.length <= 256 && EVENT_ADDRESS.test(address)
}

function envelope(type: EventType, at: EventEnvelope, data: Record<string, unknown>): CloudEvent {
  return {
    id: at.id,
    source: at.source,
    type,
    specversion: '1.0',
    datacontenttype: 'application/json',
    time: new Date(at.time).toISOString(),
    data,
  }
}

/** MediaSession of the events spec: the session as call handling shows it, plus event fields. */
function toSessionData(
  call: Call,
  subscription: Subscription,
  status: CallStatus,
  reason: string,
  sequenceNumber: number,
  addresses: 'required' | 'when-expressible',
): Record<string, unknown> {
  const data: Record<string, unknown> = { subscriptionId: subscription.id, mediaSessionId: call.id }
  const parties = [
    ['originator', call.originator],
    ['receiver', call.receiver],
  ] as const
  for (const [role, party] of parties) {
    if (addresses === 'required' || isEventAddress(party.address))
      data[`${role}Address`] = party.address
    if (party.name !== undefined) data[`${role}Name`] = party.name
  }
  data.status = status
  if (call.offer !== undefined) data.offer = call.offer
  if (call.answer !== undefined) data.answer = call.answer
  if (call.locationDetails !== undefined) data.locationDetails = call.locationDetails
  data.reason = reason
  data.sequenceNumber = sequenceNumber
  return data
}

/**
 * The sequence number of a session's notification: the position of the change in the call's
 * timeline (Initial is 1), the same on every subscription, so a client that holds an
 * invitation and a status subscription can order both streams.
 */
function sequenceOf(call: Call): number {
  return Math.max(call.timeline.length, 1)
}

/** session-invitation: a new incoming session; both parties and the status are mandatory. */
export function createSessionInvitation(
  call: Call,
  subscription: Subscription,
  at: EventEnvelope,
): CloudEvent {
  const caller = call.originator.name ?? call.originator.address
  const data = toSessionData(
    call,
    subscription,
    call.status,
    `Incoming call from ${caller}`,
    sequenceOf(call),
    'required',
  )
  return envelope(EVENT_TYPES.sessionInvitation, at, data)
}

/**
 * session-status: a change in a session, with mediaSessionId and status in `data`, as the
 * file's own examples have them; the envelope carries them too only when the served file is
 * read literally (docs/decisions/004-session-status-envelope.md, create-notifier.ts).
 */
export function createSessionStatus(
  call: Call,
  subscription: Subscription,
  change: { readonly to: CallStatus; readonly cause: string },
  at: EventEnvelope,
): CloudEvent {
  const data = toSessionData(
    call,
    subscription,
    change.to,
    change.cause,
    sequenceOf(call),
    'when-expressible',
  )
  return envelope(EVENT_TYPES.sessionStatus, at, data)
}

const REGISTRATION_END_DESCRIPTION: Record<'NETWORK_TERMINATED' | 'REGISTRATION_EXPIRED', string> =
  {
    NETWORK_TERMINATED:
      'The network ended the registration; register the device again to receive calls.',
    REGISTRATION_EXPIRED:
      'The registration expired without a refresh; register the device again to receive calls.',
  }

/** registration-ends: a registration of the subscribed device ended on the network side. */
export function createRegistrationEnds(
  registration: Registration,
  reason: 'NETWORK_TERMINATED' | 'REGISTRATION_EXPIRED',
  subscription: Subscription,
  at: EventEnvelope,
): CloudEvent {
  return envelope(EVENT_TYPES.registrationEnds, at, {
    subscriptionId: subscription.id,
    registrationId: registration.id,
    terminationReason: reason,
    terminationDescription: REGISTRATION_END_DESCRIPTION[reason],
  })
}

const SUBSCRIPTION_END_DESCRIPTION: Record<SubscriptionEndReason, string> = {
  MAX_EVENTS_REACHED:
    'The subscription delivered its maximum number of events (config.subscriptionMaxEvents).',
  NETWORK_TERMINATED: 'The network stopped the subscription.',
  SUBSCRIPTION_EXPIRED: 'The subscription reached its expiry time (config.subscriptionExpireTime).',
  ACCESS_TOKEN_EXPIRED:
    'The sink access token expired (sinkCredential.accessTokenExpiresUtc); subscribe again with a new token.',
  SUBSCRIPTION_DELETED: 'The subscription was deleted by its subscriber.',
}

/** subscription-ended: sent to every subscription when it ends, without subscribing to it. */
export function createSubscriptionEnded(
  subscription: Subscription,
  reason: SubscriptionEndReason,
  at: EventEnvelope,
): CloudEvent {
  return envelope(EVENT_TYPES.subscriptionEnded, at, {
    subscriptionId: subscription.id,
    terminationReason: reason,
    terminationDescription: SUBSCRIPTION_END_DESCRIPTION[reason],
  })
}
