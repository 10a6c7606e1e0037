import { err, ok, type Result } from '../contract/index.js'
import type { OutgoingRequest } from './build-request.js'

/** What came back: the status, lower-case headers and the body as text. */
export interface HttpExchange {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly durationMs: number
}

/** Why no response came back, in words that say what to check. */
export interface TransportFailure {
  readonly kind: 'refused' | 'dns' | 'tls' | 'timeout' | 'dropped' | 'invalid-url' | 'other'
  readonly message: string
}

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'EPROTO',
  'CERT_NOT_YET_VALID',
])
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'])

function codeOf(error: unknown): string | undefined {
  // undici wraps the socket error in `cause`, sometimes twice.
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && code !== 'UND_ERR') return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

function reasonOf(error: unknown): string {
  let current: unknown = error
  let message = error instanceof Error ? error.message : String(error)
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    if (current.message && current.message !== 'fetch failed') message = current.message
    current = current.cause
  }
  // OpenSSL's "802C…:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:…" → its reason.
  const openssl = /^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+)/.exec(message)
  return openssl ? (openssl[1] as string) : message
}

/** Names a transport failure in one line with what to do about it; never a stack trace. */
function describeTransportFailure(
  error: unknown,
  request: { method: string; url: string },
  timeoutMs: number,
): TransportFailure {
  const where = `${request.method} ${request.url}`
  const origin = (() => {
    try {
      return new URL(request.url).origin
    } catch {
      return request.url
    }
  })()
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return {
      kind: 'timeout',
      message: `${where}: no response within ${timeoutMs} ms. The target is slow or hanging; raise --timeout (or the step's timeout) if that is expected.`,
    }
  }
  const code = codeOf(error)
  const reason = reasonOf(error)
  if (code === 'ECONNREFUSED') {
    return {
      kind: 'refused',
      message: `Failed to reach ${origin}: connection refused (ECONNREFUSED). Is the target running? Check --target.`,
    }
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return {
      kind: 'dns',
      message: `Failed to reach ${origin}: the host name does not resolve (${code}). Check --target.`,
    }
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return {
      kind: 'tls',
      message: `TLS with ${origin} failed: the server does not speak TLS on that port (${code}). Is it plain http://? Check --target.`,
    }
  }
  if (
    code !== undefined &&
    (TLS_CODES.has(code) || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL'))
  ) {
    return {
      kind: 'tls',
      message: `TLS with ${origin} failed: ${reason} (${code}). Check that the target speaks HTTPS with a certificate this machine trusts (NODE_EXTRA_CA_CERTS adds a CA).`,
    }
  }
  if (
    (code !== undefined && DROPPED_CODES.has(code)) ||
    /other side closed|socket hang up|terminated/i.test(reason)
  ) {
    return {
      kind: 'dropped',
      message: `${where}: the target closed the connection without a complete response (${code ?? reason}).`,
    }
  }
  return { kind: 'other', message: `${where} failed: ${reason}${code ? ` (${code})` : ''}.` }
}

/** Sends one request with a deadline; a transport failure is a value, not an exception. */
export async function sendHttp(
  request: OutgoingRequest,
  timeoutMs: number,
): Promise<Result<HttpExchange, TransportFailure>> {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return err({
      kind: 'invalid-url',
      message: `"${request.url}" is not a URL; --target takes e.g. http://127.0.0.1:9091.`,
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return err({
      kind: 'invalid-url',
      message: `${url.protocol} is not supported; --target must be an http:// or https:// URL.`,
    })
  }
  const started = performance.now()
  try {
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    })
    // The body is read under the same deadline: a target may send headers and then stall.
    const text = await response.text()
    const headers: Record<string, string> = {}
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value
    })
    return ok({
      status: response.status,
      headers,
      text,
      durationMs: Math.round(performance.now() - started),
    })
  } catch (error) {
    return err(describeTransportFailure(error, request, timeoutMs))
  }
}
