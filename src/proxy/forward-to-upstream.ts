import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import https from 'node:https'

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the message: a proxy drops
 * them in both directions, along with the ones the Connection header names. `host` is the
 * upstream's own; `expect: 100-continue` was already settled with the client.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
])

/**
 * The end-to-end headers of a message as a flat [name, value, …] list, in their original
 * spelling and order (repeated headers stay repeated). `content-length` is left out as well:
 * the sender sets it for the body it actually sends.
 */
export function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  let named: Set<string> | undefined
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if ((rawHeaders[index] as string).toLowerCase() !== 'connection') continue
    named ??= new Set()
    for (const name of (rawHeaders[index + 1] as string).split(','))
      named.add(name.trim().toLowerCase())
  }
  const kept: string[] = []
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index] as string
    const lower = name.toLowerCase()
    if (HOP_BY_HOP.has(lower) || lower === 'content-length' || named?.has(lower)) continue
    kept.push(name, rawHeaders[index + 1] as string)
  }
  return kept
}

export interface UpstreamRequest {
  /** The provider's base URL; only its origin is used here. */
  readonly upstream: URL
  /** Path and query as they go upstream, escaped as the client sent them. */
  readonly path: string
  readonly method: string
  /** End-to-end headers as endToEndHeaders gives them. */
  readonly headers: readonly string[]
  readonly body: Buffer | undefined
  /** From sending the request to the last byte of the answer (or to the hand-over of a large one). */
  readonly timeoutMs: number
  /** Answers larger than this are handed over as a stream instead of being held whole. */
  readonly maxBufferedBytes: number
}

/**
 * What the upstream did.
 * - answered: the whole answer, held so it can be validated before it is passed on.
 * - streaming: an answer too large to hold; `head` is what arrived so far and `rest` the paused
 *   remainder, to be piped through unvalidated.
 * - failed: no answer (no connection, reset) or none in time: a 502 or 504 for the client.
 */
export type UpstreamOutcome =
  | { readonly kind: 'answered'; readonly response: IncomingMessage; readonly body: Buffer }
  | {
      readonly kind: 'streaming'
      readonly response: IncomingMessage
      readonly head: Buffer
      readonly rest: IncomingMessage
    }
  | { readonly kind: 'failed'; readonly status: 502 | 504; readonly reason: string }

/**
 * Keep-alive agents: a proxy that opened a connection per request would add a TCP handshake
 * (and for https a TLS one) to every exchange. One per process, shared by every proxy in it.
 */
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 64 }),
}

/**
 * Sends one request to the upstream with node:http. Not fetch: undici's fetch decodes gzip
 * and brotli bodies on its own, drops some headers it considers forbidden and wraps the body in
 * WHATWG streams, while the proxy must hand the upstream's bytes and headers back unchanged and
 * add as little latency as it can. It never throws and never leaves a socket behind.
 */
export function forwardToUpstream(request: UpstreamRequest): Promise<UpstreamOutcome> {
  return new Promise((resolve) => {
    const { upstream: url, path } = request
    const isHttps = url.protocol === 'https:'
    const target = `${request.method} ${url.origin}${path.split('?', 1)[0] ?? ''}`
    let settled = false
    const settle = (outcome: UpstreamOutcome): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(outcome)
    }
    const headers = [...request.headers, 'host', url.host]
    if (request.body !== undefined && request.body.length > 0)
      headers.push('content-length', String(request.body.length))
    else if (request.method !== 'GET' && request.method !== 'HEAD')
      headers.push('content-length', '0')
    const outgoing = (isHttps ? https : http).request({
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port,
      path,
      method: request.method,
      headers,
      agent: AGENTS[isHttps ? 'https:' : 'http:'],
    })
    const timer = setTimeout(() => {
      settle({
        kind: 'failed',
        status: 504,
        reason: `the provider did not answer ${target} within ${request.timeoutMs} ms`,
      })
      outgoing.destroy()
    }, request.timeoutMs)
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      settle({
        kind: 'failed',
        status: 502,
        reason: `the provider cannot be reached for ${target}: ${error.code ?? error.message}${error.code === undefined ? '' : ` (${error.message})`}`,
      })
    })
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = []
      let size = 0
      const onData = (chunk: Buffer): void => {
        chunks.push(chunk)
        size += chunk.length
        if (size <= request.maxBufferedBytes) return
        response.off('data', onData)
        response.off('end', onEnd)
        response.pause()
        settle({ kind: 'streaming', response, head: Buffer.concat(chunks, size), rest: response })
      }
      const onEnd = (): void =>
        settle({
          kind: 'answered',
          response,
          body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size),
        })
      response.on('data', onData)
      response.on('end', onEnd)
      response.on('error', () =>
        settle({
          kind: 'failed',
          status: 502,
          reason: `the provider broke off its answer to ${target}`,
        }),
      )
    })
    outgoing.end(request.body)
  })
}

/** Lower-case header names, repeated ones joined with ", " (the Observation's form). */
export function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}
