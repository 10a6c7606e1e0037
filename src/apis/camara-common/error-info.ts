import { describeViolations, isRangeViolation } from '../../contract/index.js'
import { findResponse } from '../../contract/index.js'
import type { FaceRequest, FaceResponse, OperationHandler, ProtocolError } from '../face.js'
import { payloadTooLargeMessage } from '../face.js'
import { boundMessage, protocolErrorFormatter } from '../protocol-errors.js'

/** CAMARA ErrorInfo: `{ status, code, message }`, shared by every CAMARA face. */
interface ErrorInfo {
  readonly status: number
  readonly code: string
  readonly message: string
}

export function errorInfo(status: number, code: string, message: string): FaceResponse {
  return { status, body: { status, code, message: boundMessage(message) } satisfies ErrorInfo }
}

/** A fault plan's injected error as CAMARA ErrorInfo (Face.formatInjectedError of every CAMARA face). */
export function formatCamaraInjectedError(
  status: number,
  code: string,
  message: string,
): FaceResponse {
  return errorInfo(status, code, message)
}

/**
 * The CAMARA Commonalities mapping of protocol failures. Statuses outside an operation's
 * declared responses (405, 413, 415) use the Commonalities codes.
 */
export const formatCamaraProtocolError = protocolErrorFormatter((error: ProtocolError) => {
  switch (error.kind) {
    case 'route-not-found':
      return errorInfo(
        404,
        'NOT_FOUND',
        `No API operation answers ${error.method} ${error.path}. Check the base path and the resource path.`,
      )
    case 'method-not-allowed':
      return errorInfo(
        405,
        'METHOD_NOT_ALLOWED',
        `${error.method} is not allowed on ${error.path}; allowed: ${error.allowed.join(', ')}.`,
      )
    case 'invalid-request': {
      const range = error.violations.length > 0 && error.violations.every(isRangeViolation)
      return errorInfo(
        400,
        range ? 'OUT_OF_RANGE' : 'INVALID_ARGUMENT',
        `Client specified an invalid argument: ${describeViolations(error.violations, 460)}`,
      )
    }
    case 'malformed-body':
      return errorInfo(400, 'INVALID_ARGUMENT', error.message)
    case 'unsupported-media-type':
      return errorInfo(415, 'UNSUPPORTED_MEDIA_TYPE', error.message)
    case 'payload-too-large':
      return errorInfo(413, 'PAYLOAD_TOO_LARGE', payloadTooLargeMessage(error.limitBytes))
    case 'unauthenticated':
      return errorInfo(
        401,
        'UNAUTHENTICATED',
        `Request not authenticated: ${error.reason}. A new authentication is required.`,
      )
    case 'permission-denied':
      return errorInfo(
        403,
        'PERMISSION_DENIED',
        `Client does not have sufficient permissions to perform this action: ${error.reason}.`,
      )
    case 'internal':
      return errorInfo(500, 'INTERNAL', error.message)
    case 'upstream-failed': {
      // CAMARA Commonalities Generic502 BAD_GATEWAY and Generic504 TIMEOUT; ErrorInfo allows
      // more properties, so the provider's violations travel whole beside the bounded message.
      const info = errorInfo(
        error.status,
        error.status === 504 ? 'TIMEOUT' : 'BAD_GATEWAY',
        error.reason,
      )
      return error.violations === undefined
        ? info
        : { ...info, body: { ...(info.body as ErrorInfo), violations: error.violations } }
    }
  }
})

/**
 * CAMARA Commonalities: an API "may not document some non-mandatory error statuses", and a
 * provider may still answer its generic errors. r1.2's updateSessionStatus declares no 400, yet
 * a Hold on an ended call is a 400 INVALID_ARGUMENT: such an error is sent as a protocol response
 * (docs/decisions/002-protocol-errors.md) instead of an invented status the release never named.
 */
export function answerUndeclaredErrorsAsCommonalities(
  handlers: Readonly<Record<string, OperationHandler>>,
): Record<string, OperationHandler> {
  const mark = (request: FaceRequest, response: FaceResponse): FaceResponse =>
    response.status >= 400 && findResponse(request.operation, response.status) === undefined
      ? { ...response, protocol: true }
      : response
  return Object.fromEntries(
    Object.entries(handlers).map(([operationId, handler]) => [
      operationId,
      (request: FaceRequest) => {
        const response = handler(request)
        return response instanceof Promise
          ? response.then((value) => mark(request, value))
          : mark(request, response)
      },
    ]),
  )
}
