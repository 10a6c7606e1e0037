import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the sink received it. */
export interface ReceivedRequest {
  readonly index: number
  readonly method: string
  readonly headers: IncomingHttpHeaders
  readonly body: unknown
  /** performance.now() when the whole body had arrived. */
  readonly receivedAt: number
}

/** What the sink does with its n-th request (0-based): answer with a status, or never answer. */
export type SinkBehaviour = (index: number) => number | 'hang'

export interface Sink {
  /** http://127.0.0.1:<port>/events */
  readonly url: string
  /** Every request so far, in arrival order, including ones the sink failed or left hanging. */
  readonly received: ReceivedRequest[]
  behave(behaviour: SinkBehaviour): void
  /** Resolves when at least `count` requests have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedRequest[]>
  close(): Promise<void>
}

/**
 * A real webhook receiver on 127.0.0.1 and a free port, as an integrator would run one: it
 * records each request and answers 204 unless told otherwise.
 */
export async function startSink(behaviour: SinkBehaviour = () => 204): Promise<Sink> {
  let behave = behaviour
  const received: ReceivedRequest[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const hanging: ServerResponse[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // Kept as text: a test asserting on the body will show what arrived.
      }
      const index = received.length
      received.push({
        index,
        method: req.method ?? '',
        headers: req.headers,
        body,
        receivedAt: performance.now(),
      })
      for (const waiter of waiters.filter((w) => received.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
      const answer = behave(index)
      if (answer === 'hang') {
        hanging.push(res)
        return
      }
      res.statusCode = answer
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    behave: (next) => {
      behave = next
    },
    waitFor: (count, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (received.length >= count) {
          resolve(received)
          return
        }
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `the sink received ${received.length} of ${count} requests within ${timeoutMs} ms`,
              ),
            ),
          timeoutMs,
        )
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer)
            resolve(received)
          },
        })
      }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
