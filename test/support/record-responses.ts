import type { IncomingMessage, ServerResponse } from 'node:http'

/** One response as it left callsim, with the request line that produced it. */
export interface RecordedExchange {
  readonly method: string
  /** The request target as sent, query included. */
  readonly url: string
  readonly status: number
  /** Lower-case header names, as Node keeps them. */
  readonly headers: Readonly<Record<string, unknown>>
  /** The body text exactly as written to the socket ('' when there was none). */
  readonly body: string
}

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/**
 * Wraps an app so that every response it writes is also kept, byte for byte. Supertest drives
 * the wrapper over real HTTP; the tests then check the recorded bodies against a second
 * contract (the official reference spec) without changing a single request.
 */
export function recordResponses(
  app: RequestListener,
  exchanges: RecordedExchange[] = [],
): { app: RequestListener; exchanges: RecordedExchange[] } {
  const recording: RequestListener = (req, res) => {
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse
    res.end = ((...args: unknown[]) => {
      const [chunk] = args
      const body =
        typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : ''
      exchanges.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        status: res.statusCode,
        headers: { ...res.getHeaders() },
        body,
      })
      return end(...args)
    }) as ServerResponse['end']
    app(req, res)
  }
  return { app: recording, exchanges }
}
