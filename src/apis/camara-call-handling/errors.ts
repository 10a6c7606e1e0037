import type { CoreError, RegistrationEndReason } from '../../core/index.js'
import { errorInfo, formatCamaraProtocolError } from '../camara-common/error-info.js'
import type { FaceResponse } from '../face.js'

export { formatCamaraProtocolError as formatCallHandlingProtocolError }

/** The anonymous originator of RFC 3323, which CAMARA allows only as originatorAddress. */
export const ANONYMOUS_ADDRESS = 'sip:anonymous@anonymous.invalid'

export function invalidTokenContext(): FaceResponse {
  return errorInfo(
    403,
    'INVALID_TOKEN_CONTEXT',
    'originator info is not consistent with access token.',
  )
}

export function sessionNotFound(mediaSessionId: string): FaceResponse {
  return errorInfo(
    404,
    'NOT_FOUND',
    `The specified resource is not found: no media session ${mediaSessionId} for this caller (it may have ended and passed its retention period).`,
  )
}

const ENDED_BECAUSE: Record<RegistrationEndReason, string> = {
  REGISTRATION_EXPIRED: 'expired',
  DELETED: 'was deleted',
  NETWORK_TERMINATED: 'was ended by the network',
}

/**
 * createSession declares no 404, so a registrationId that names no active registration is a
 * bad argument: 400 INVALID_ARGUMENT (docs/decisions/003-registration-check.md).
 */
function registrationNotActive(
  registrationId: string,
  ended?: { reason: RegistrationEndReason; at: number },
): FaceResponse {
  const why =
    ended === undefined
      ? `no active registration ${registrationId} is known`
      : `registration ${registrationId} ${ENDED_BECAUSE[ended.reason]} at ${new Date(ended.at).toISOString()}`
  return invalidArgument(
    `header registrationId: ${why}. Register the device with the WebRTC Registration API (POST /sessions), refresh it with PUT before expiresAt, ` +
      'and send the registrationId it returns; or start callsim with --registration optional.',
  )
}

export function invalidArgument(message: string): FaceResponse {
  return errorInfo(400, 'INVALID_ARGUMENT', message)
}

/** Maps the network's refusals to the declared responses of the call handling operations. */
export function fromCoreError(error: CoreError): FaceResponse {
  switch (error.kind) {
    case 'call-not-found':
      return sessionNotFound(error.callId)
    case 'call-ended':
      return invalidArgument(`status: ${error.requested}`)
    case 'illegal-transition':
    case 'status-not-settable':
      return invalidArgument(`status: ${error.reason}`)
    case 'invalid-address':
      return invalidArgument(`${error.field}: ${error.reason}`)
    case 'registration-not-found':
      return registrationNotActive(error.registrationId, error.ended)
    case 'registration-mismatch':
      return errorInfo(
        403,
        'INVALID_TOKEN_CONTEXT',
        `registrationId is not consistent with access token: registration ${error.registrationId} belongs to another subscriber. Send a registrationId your token's subscriber registered.`,
      )
  }
}
