import { describeViolations, type Violation } from '../../contract/index.js'
import type { FaceResponse, ProtocolError } from '../face.js'
import { payloadTooLargeMessage } from '../face.js'
import { boundMessage, protocolErrorFormatter } from '../protocol-errors.js'

/** The Click2Call error body (spec C2cError): `{ status, message }`. */
interface C2cError {
  readonly status: number
  readonly message: string
}

function c2cError(status: number, message: string): FaceResponse {
  return { status, body: { status, message: boundMessage(message) } satisfies C2cError }
}

/** JsonpFailure of the spec: the argument a JSONP page's function gets when a request fails. */
interface JsonpFailure {
  readonly statuscode: number
  readonly reason: string
}

/**
 * The guide's JSONP interface: "for both successful and unsuccessful requests, the response
 * body will contain a JavaScript function call". A browser runs a `<script>` only when it
 * comes with a 2xx status, so a failure travels as 200 with its status in `statuscode`
 * (a Number, as the guide's attribute table says) and the message in `reason`.
 */
export function toClick2CallJsonpReply(reply: FaceResponse): FaceResponse {
  if (reply.status < 400) return reply
  const body = reply.body as Partial<C2cError> | undefined
  const failure: JsonpFailure = {
    statuscode: reply.status,
    reason: typeof body?.message === 'string' ? body.message : `HTTP ${reply.status}`,
  }
  return { status: 200, body: failure, protocol: reply.protocol }
}

/**
 * An error a scenario's fault plan injects. The Click2Call body has no code field, so the
 * scenario's code is dropped and only the status and message are sent.
 */
export function formatClick2CallInjectedError(
  status: number,
  _code: string,
  message: string,
): FaceResponse {
  return c2cError(status, message)
}

export function sessionNotFound(sessionId: string): FaceResponse {
  return c2cError(
    404,
    `Call session does not exist: ${JSON.stringify(sessionId)} is unknown (or it ended and passed its retention period).`,
  )
}

export function unknownContact(contactId: string, known: readonly string[]): FaceResponse {
  return c2cError(
    404,
    `Unknown contactId ${JSON.stringify(contactId)}: no call template has this id. Known: ${known.join(', ')}.`,
  )
}

export function authorisationFailed(phone: string): FaceResponse {
  return c2cError(
    403,
    `Pre-call authorisation failed: ${phone} is blacklisted for this call template.`,
  )
}

export function alreadyEnded(sessionId: string): FaceResponse {
  return c2cError(
    403,
    `The call is already ending or has ended: session ${sessionId} cannot be ended again.`,
  )
}

/** What a malformed path parameter means in the guide's terms; all of them are 404s there. */
const PATH_MEANING: Record<string, string> = {
  contactId: 'Invalid contactId',
  userPhone: 'Invalid phone number',
  sessionId: 'Call session does not exist',
}

function pathParameterOf(violation: Violation): string | undefined {
  if (violation.location !== 'path') return undefined
  return violation.path.replace(/^path\.?/, '').split('.')[0]
}

/**
 * The guide answers an invalid path with 404 (invalid contactId, invalid phone number,
 * unknown session) and only invalid parameters of the call itself (delay, userExtension) with
 * 400, so path violations become 404 here.
 */
function fromInvalidRequest(violations: readonly Violation[]): FaceResponse {
  const inPath = violations.filter((violation) => pathParameterOf(violation) !== undefined)
  if (inPath.length > 0) {
    const first = inPath[0] as Violation
    const name = pathParameterOf(first) ?? ''
    // An empty segment (DELETE /call/2.0/) is the guide's "invalid URI path", not an unknown id.
    const meaning =
      first.keyword === 'missing-path-parameter'
        ? 'Invalid URI path'
        : (PATH_MEANING[name] ?? 'Invalid URI path')
    const hint =
      name === 'userPhone'
        ? ' Give the number in E.164 form, e.g. +4581808888 (the + is optional).'
        : ''
    return c2cError(404, `${meaning}: ${describeViolations(inPath, 380)}.${hint}`)
  }
  return c2cError(400, `Invalid request parameters: ${describeViolations(violations, 460)}`)
}

/** Puts protocol failures in the Click2Call shape, with the statuses of the guide's Appendix A. */
export const formatClick2CallProtocolError = protocolErrorFormatter((error: ProtocolError) => {
  switch (error.kind) {
    case 'route-not-found':
      return c2cError(
        404,
        `Invalid URI path: no Click2Call operation answers ${error.method} ${error.path}.`,
      )
    case 'method-not-allowed':
      return c2cError(
        405,
        `Method not allowed: ${error.method} is not allowed on ${error.path}; allowed: ${error.allowed.join(', ')}.`,
      )
    case 'invalid-request':
      return fromInvalidRequest(error.violations)
    case 'malformed-body':
      return c2cError(400, error.message)
    case 'unsupported-media-type':
      return c2cError(415, error.message)
    case 'payload-too-large':
      return c2cError(413, payloadTooLargeMessage(error.limitBytes))
    case 'unauthenticated':
      return c2cError(401, `A valid bearer token is required: ${error.reason}.`)
    case 'permission-denied':
      return c2cError(403, `Permission denied: ${error.reason}.`)
    case 'internal':
      return c2cError(500, error.message)
    case 'upstream-failed':
      return c2cError(error.status, error.reason)
  }
})
