import type { CoreError } from '../../core/index.js'
import { errorInfo, formatCamaraProtocolError } from '../camara-common/error-info.js'
import type { FaceResponse } from '../face.js'

export { formatCamaraProtocolError as formatCallHandlingProtocolError }

/** The anonymous originator of RFC 3323, which CAMARA allows only as originatorAddress. */
export const ANONYMOUS_ADDRESS = 'sip:anonymous@anonymous.invalid'

export function invalidTokenContext(): FaceResponse {
  return errorInfo(403, 'INVALID_TOKEN_CONTEXT', 'originator info is not consistent with access token.')
}

export function sessionNotFound(mediaSessionId: string): FaceResponse {
  return errorInfo(
    404,
    'NOT_FOUND',
    `The specified resource is not found: no media session ${mediaSessionId} for this caller (it may have ended and passed its retention period).`,
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
      return errorInfo(404, 'IDENTIFIER_NOT_FOUND', `Device identifier not found: registrationId ${error.registrationId} names no active registration. Register the device first (webrtc-registration createRegistration).`)
    case 'registration-mismatch':
      return errorInfo(403, 'INVALID_TOKEN_CONTEXT', `registrationId ${error.registrationId} is not consistent with access token: ${error.reason}.`)
  }
}
