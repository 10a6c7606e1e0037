import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the sink received: lower-case headers and the parsed JSON body. */
export interface ReceivedCallback {
  readonly seq: number
  readonly headers: Readonly<Record<string, string>>
  readonly contentType: string | undefined
  /** The parsed JSON body, or the raw text when it is not JSON. */
  readonly body: unknown
  /** Why the body could not be parsed, if it could not. */
  readonly parseError: string | undefined
  consumed: boolean
}

const MAX_BODY_BYTES = 1024 * 1024
const MAX_KEPT = 1000

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/**
 * A local CloudEvents sink on 127.0.0.1 for callback steps. It answers every POST with 204 at
 * once (a slow sink would only test the provider's retries) and keeps what arrived, so a step
 * can wait for an event that satisfies its expectation.
 */
export class Sink {
  private readonly received: ReceivedCallback[] = []
  private readonly waiters = new Set<() => void>()
  private seq = 0

  private readonly server: Server
  /** Where the sink listens, e.g. `http://127.0.0.1:41234/events`; set once started. */
  url = ''

  private constructor() {
    this.server = createServer((request, response) => {
      if (request.method !== 'POST') {
        response.writeHead(405, { allow: 'POST' }).end()
        return
      }
      readBody(request).then(
        (text) => {
          this.record(request, text)
          response.writeHead(204).end()
        },
        () => response.writeHead(413).end(),
      )
    })
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  static async start(): Promise<Sink> {
    const sink = new Sink()
    await new Promise<void>((resolve, reject) => {
      sink.server.once('error', reject)
      sink.server.listen(0, '127.0.0.1', () => resolve())
    })
    const { port } = sink.server.address() as AddressInfo
    sink.url = `http://127.0.0.1:${port}/events`
    return sink
  }

  private record(request: IncomingMessage, text: string): void {
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined)
        headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
    }
    let body: unknown = text
    let parseError: string | undefined
    try {
      body = text === '' ? undefined : JSON.parse(text)
    } catch (error) {
      parseError = error instanceof Error ? error.message : String(error)
    }
    this.seq += 1
    this.received.push({
      seq: this.seq,
      headers,
      contentType: headers['content-type'],
      body,
      parseError,
      consumed: false,
    })
    if (this.received.length > MAX_KEPT) this.received.shift()
    for (const wake of [...this.waiters]) wake()
  }

  /** Forgets everything received; each scenario starts with an empty sink. */
  clear(): void {
    this.received.length = 0
  }

  /** Everything received and not yet taken by a step, oldest first. */
  pending(): readonly ReceivedCallback[] {
    return this.received.filter((event) => !event.consumed)
  }

  /**
   * Waits until an unconsumed callback satisfies `accept`, takes it and returns it; undefined
   * when none did within `timeoutMs` (real time: deliveries travel over real sockets).
   */
  async take(
    accept: (event: ReceivedCallback) => boolean,
    timeoutMs: number,
  ): Promise<ReceivedCallback | undefined> {
    const find = (): ReceivedCallback | undefined =>
      this.received.find((event) => !event.consumed && accept(event))
    const found = find()
    if (found) {
      found.consumed = true
      return found
    }
    return new Promise((resolve) => {
      const wake = (): void => {
        const match = find()
        if (!match) return
        match.consumed = true
        finish(match)
      }
      const timer = setTimeout(() => finish(undefined), timeoutMs)
      const finish = (result: ReceivedCallback | undefined): void => {
        clearTimeout(timer)
        this.waiters.delete(wake)
        resolve(result)
      }
      this.waiters.add(wake)
    })
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections()
      this.server.close(() => resolve())
    })
  }
}
