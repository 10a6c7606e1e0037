import type { EndedRegistration, RegistrationEndReason } from '../../core/index.js'
import { errorInfo, formatCamaraProtocolError } from '../camara-common/error-info.js'
import type { FaceResponse } from '../face.js'

export { formatCamaraProtocolError as formatRegistrationProtocolError }

const ENDED_BECAUSE: Record<RegistrationEndReason, string> = {
  REGISTRATION_EXPIRED: 'expired',
  DELETED: 'was deleted',
  NETWORK_TERMINATED: 'was ended by the network',
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Generic404: unknown, expired, deleted, or another subscriber's (which is never admitted). */
export function registrationNotFound(
  registrationId: string,
  ended?: EndedRegistration,
): FaceResponse {
  const why =
    ended === undefined
      ? `no active registration ${registrationId} for this caller`
      : `registration ${registrationId} ${ENDED_BECAUSE[ended.reason]} at ${iso(ended.at)}; register the device again with POST /sessions`
  return errorInfo(404, 'NOT_FOUND', `The specified resource is not found: ${why}.`)
}

/** CreateSessionConflict409, with the recovery the spec recommends. */
export function alreadyExists(deviceId: string): FaceResponse {
  return errorInfo(
    409,
    'ALREADY_EXISTS',
    `An active registration already exists for the supplied deviceId ${deviceId} and the phoneNumber resolved from the access token. ` +
      'Find it with GET /sessions?deviceId=..., then reuse it, refresh it with PUT or DELETE it before registering again.',
  )
}

/** The spec: a requested expiry below the operator's minimum gets 400 OUT_OF_RANGE. */
export function expiryTooSoon(
  requestedAt: number,
  earliestAt: number,
  defaultTtlMs: number,
): FaceResponse {
  return errorInfo(
    400,
    'OUT_OF_RANGE',
    `Client specified an invalid range: registrationExpireTime ${iso(requestedAt)} is before the earliest allowed expiry ${iso(earliestAt)}. ` +
      `Ask for a later time, or omit the field for the default of ${defaultTtlMs / 60_000} minutes.`,
  )
}

export function invalidArgument(message: string): FaceResponse {
  return errorInfo(400, 'INVALID_ARGUMENT', `Client specified an invalid argument: ${message}`)
}

/** The registered phone number comes from the token, so an operation without one cannot register. */
export function subscriberUnknown(): FaceResponse {
  return formatCamaraProtocolError({
    kind: 'unauthenticated',
    reason:
      'the phone number to register is taken from the access token, and none was sent; send "Authorization: Bearer <token>"',
  })
}
