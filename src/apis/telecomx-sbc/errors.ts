import { describeViolations } from '../../contract/index.js'
import type { FaceResponse, ProtocolError } from '../face.js'
import { payloadTooLargeMessage } from '../face.js'
import { boundMessage, protocolErrorFormatter } from '../protocol-errors.js'

/**
 * The TelecomX error codes (wiki api:sbc:session:get). callsim keeps to these four even for
 * protocol failures (405, 413, 415, unknown paths), so a client that switches on `error`
 * never meets a code the vendor does not document; the HTTP status tells those cases apart.
 */
type SbcErrorCode = 'bad_request' | 'id' | 'access_denied' | 'internal_error'

/** The SBC error body: `{ error, message }`. */
interface SbcError {
  readonly error: SbcErrorCode
  readonly message: string
}

function sbcError(status: number, error: SbcErrorCode, message: string): FaceResponse {
  return { status, body: { error, message: boundMessage(message) } satisfies SbcError }
}

/**
 * An error a scenario's fault plan injects: the scenario's code goes in `error`. The scenario
 * loader checks it against the operation's declared responses, so it must be one of the four
 * TelecomX codes for the status it is sent with.
 */
export function formatSbcInjectedError(
  status: number,
  code: string,
  message: string,
): FaceResponse {
  return sbcError(status, code as SbcErrorCode, message)
}

export function sessionIdMissing(): FaceResponse {
  return sbcError(
    400,
    'bad_request',
    'Session id not found in request URI: use GET /sbc/session/{callId} with the SIP Call-ID, or GET /sbc/session to list sessions.',
  )
}

export function sessionNotFound(callId: string): FaceResponse {
  return sbcError(
    404,
    'id',
    `Session not found: no session has the Call-ID ${JSON.stringify(callId)} (it may have ended and passed its retention period).`,
  )
}

export function accessDenied(reason: string): FaceResponse {
  return sbcError(403, 'access_denied', `Insufficient access level: ${reason}.`)
}

/**
 * Puts protocol failures in the SBC's shape. The spec declares no 401, so every
 * authentication failure is the vendor's 403 access_denied.
 */
export function createSbcProtocolErrorFormatter(basePath: string) {
  return protocolErrorFormatter((error: ProtocolError): FaceResponse => {
    switch (error.kind) {
      case 'route-not-found':
        // GET /sbc/session// and the like: the vendor's "session id missing" case.
        if (/^\/session\/+$/.test(error.path.slice(basePath.length))) return sessionIdMissing()
        return sbcError(
          404,
          'bad_request',
          `No SBC API operation answers ${error.method} ${error.path}; the API offers GET ${basePath}/session and GET ${basePath}/session/{callId}.`,
        )
      case 'method-not-allowed':
        return sbcError(
          405,
          'bad_request',
          `${error.method} is not allowed on ${error.path}; allowed: ${error.allowed.join(', ')}. The SBC session API is read-only.`,
        )
      case 'invalid-request':
        // GET /sbc/session/ names no session: the vendor documents this very 400.
        if (error.violations.some((v) => v.keyword === 'missing-path-parameter'))
          return sessionIdMissing()
        return sbcError(
          400,
          'bad_request',
          `Invalid request: ${describeViolations(error.violations, 480)}`,
        )
      case 'malformed-body':
        return sbcError(400, 'bad_request', error.message)
      case 'unsupported-media-type':
        return sbcError(415, 'bad_request', error.message)
      case 'payload-too-large':
        return sbcError(413, 'bad_request', payloadTooLargeMessage(error.limitBytes))
      case 'unauthenticated':
        return sbcError(403, 'access_denied', `Access denied: ${error.reason}.`)
      case 'permission-denied':
        return sbcError(403, 'access_denied', `Access denied: ${error.reason}.`)
      case 'internal':
        return sbcError(500, 'internal_error', error.message)
      case 'upstream-failed':
        return sbcError(error.status, 'internal_error', error.reason)
    }
  })
}
