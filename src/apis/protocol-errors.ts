import type { FaceResponse, ProtocolError } from './face.js'

/** Every face's spec gives its error message a maxLength of 512. */
const MAX_ERROR_MESSAGE = 512

/** A message that fits the error bodies of every face: a longer one is cut and ends in "…". */
export function boundMessage(message: string): string {
  return message.length <= MAX_ERROR_MESSAGE
    ? message
    : `${message.slice(0, MAX_ERROR_MESSAGE - 1)}…`
}

/**
 * The failures whose status no operation declares: an unknown route's 404, 405, 413, 415, a
 * bug's 500 and a proxied provider's failure (502, 504). Marked `protocol`, they are sent without being held to an operation's responses
 * (docs/decisions/002-protocol-errors.md).
 */
const UNDECLARED: ReadonlySet<ProtocolError['kind']> = new Set([
  'route-not-found',
  'method-not-allowed',
  'unsupported-media-type',
  'payload-too-large',
  'internal',
  'upstream-failed',
])

/**
 * A face's `formatError` from its own wording of each failure (status, code, message in its
 * shape). What every face does alike is added here: the `protocol` mark of an undeclared
 * status, and the Allow header a 405 must carry (RFC 9110 §15.5.6).
 */
export function protocolErrorFormatter(
  word: (error: ProtocolError) => FaceResponse,
): (error: ProtocolError) => FaceResponse {
  return (error) => {
    const response = word(error)
    return {
      ...response,
      ...(error.kind === 'method-not-allowed'
        ? { headers: { ...response.headers, allow: error.allowed.join(', ') } }
        : {}),
      ...(UNDECLARED.has(error.kind) ? { protocol: true } : {}),
    }
  }
}
