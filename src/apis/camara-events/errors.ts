import type { Violation } from '../../contract/index.js'
import type { SubscriptionError } from '../../core/index.js'
import { errorInfo, formatCamaraProtocolError } from '../camara-common/error-info.js'
import type { FaceResponse, ProtocolError } from '../face.js'

const iso = (ms: number): string => new Date(ms).toISOString()

/** Only these two operations declare INVALID_SINK, INVALID_CREDENTIAL and INVALID_PROTOCOL. */
const SUBSCRIPTION_BODY_OPERATIONS = new Set([
  'createNotificationChannelSubscription',
  'updateNotificationChannelSubscription',
])

/** The specific 400 codes of CreateSubscriptionBadRequest400, by the field a violation is about. */
function codeFor(
  violation: Violation,
): 'INVALID_SINK' | 'INVALID_CREDENTIAL' | 'INVALID_PROTOCOL' | undefined {
  const path = violation.path
  // A field that may not be sent at all (a sink on update) is an invalid argument, not a bad sink.
  if (violation.keyword === 'additionalProperties') return undefined
  if (path === 'body.sink') return 'INVALID_SINK'
  if (path === 'body.sinkCredential' || path.startsWith('body.sinkCredential.'))
    return 'INVALID_CREDENTIAL'
  if (path === 'body.protocol') return 'INVALID_PROTOCOL'
  return undefined
}

const HTTPS_ONLY_HINT =
  'the spec accepts only https sinks; to receive events on a local http server, start callsim with --allow-http-sinks (loopback addresses only)'

/**
 * The Events face's protocol errors. A bad sink, credential or protocol gets its own code from
 * CreateSubscriptionBadRequest400; every other failure maps as in CAMARA Commonalities, except
 * that operations whose 400 declares only INVALID_ARGUMENT never answer OUT_OF_RANGE.
 */
export function createEventsProtocolErrorFormatter(
  allowHttpSinks: boolean,
): (error: ProtocolError) => FaceResponse {
  return (error) => {
    if (error.kind !== 'invalid-request' || error.violations.length === 0)
      return formatCamaraProtocolError(error)
    const operationId = error.violations[0]?.operationId ?? ''
    const messages = error.violations.map((v) => v.message).join('; ')
    if (SUBSCRIPTION_BODY_OPERATIONS.has(operationId)) {
      const codes = new Set(error.violations.map(codeFor))
      const [code] = codes
      if (codes.size === 1 && code !== undefined) {
        const hint = code === 'INVALID_SINK' && !allowHttpSinks ? `; ${HTTPS_ONLY_HINT}` : ''
        return errorInfo(400, code, `Client specified an invalid argument: ${messages}${hint}`)
      }
      return formatCamaraProtocolError(error)
    }
    return errorInfo(400, 'INVALID_ARGUMENT', `Client specified an invalid argument: ${messages}`)
  }
}

export function invalidArgument(message: string): FaceResponse {
  return errorInfo(400, 'INVALID_ARGUMENT', `Client specified an invalid argument: ${message}`)
}

export function invalidCredential(message: string): FaceResponse {
  return errorInfo(
    400,
    'INVALID_CREDENTIAL',
    `Client specified an invalid sink credential: ${message}`,
  )
}

export function subscriptionNotFound(subscriptionId: string): FaceResponse {
  return errorInfo(
    404,
    'NOT_FOUND',
    `The specified resource is not found: no subscription ${subscriptionId} for this caller (it may have ended: expired, deleted or reached its maximum number of events).`,
  )
}

/** CAMARA: a provider that takes one event type per subscription says so with this 422. */
export function multiEventNotSupported(count: number): FaceResponse {
  return errorInfo(
    422,
    'MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED',
    `Multi event types subscription not managed: the request lists ${count} types; create one subscription per event type.`,
  )
}

/** `named`: "device <deviceId>" or "registration <registrationId>", as the subscription detail named it. */
export function deviceNotRegistered(named: string): FaceResponse {
  return errorInfo(
    422,
    'SERVICE_NOT_APPLICABLE',
    `The service is not available for the provided identifier: ${named} has no active registration for this subscriber. ` +
      'Register it first (webrtc-registration createRegistration), or start callsim with --registration optional.',
  )
}

export function deviceOfAnotherSubscriber(named: string): FaceResponse {
  return errorInfo(
    403,
    'SUBSCRIPTION_MISMATCH',
    `Inconsistent access token for requested events subscription: ${named} is registered for another subscriber than the token's.`,
  )
}

/** Maps the subscription store's refusals to the responses the operations declare. */
export function fromSubscriptionError(error: SubscriptionError): FaceResponse {
  switch (error.kind) {
    case 'subscription-not-found':
      return subscriptionNotFound(error.subscriptionId)
    case 'subscription-exists':
      return errorInfo(
        409,
        'ALREADY_EXISTS',
        `Subscription ${error.existing.id} already delivers ${error.existing.type} for device ${error.existing.deviceId} to this sink; use it, or DELETE it first.`,
      )
    case 'subscription-quota':
      return errorInfo(
        429,
        'QUOTA_EXCEEDED',
        `Out of resource quota: a subscriber may hold at most ${error.limit} subscriptions; delete some first.`,
      )
    case 'expiry-passed':
      return invalidArgument(
        `config.subscriptionExpireTime ${iso(error.expiresAt)} is not in the future (now is ${iso(error.now)}); ask for a later time or leave it out.`,
      )
    case 'credential-expired':
      return invalidCredential(
        `sinkCredential.accessTokenExpiresUtc ${iso(error.expiresAt)} is not in the future (now is ${iso(error.now)}); send a token that is still valid.`,
      )
  }
}
