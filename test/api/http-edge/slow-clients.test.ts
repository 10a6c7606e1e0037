import net from 'node:net'
import { afterEach, expect, test } from 'vitest'
import type { RunningSimulator } from '../../../src/app/index.js'
import { DEFAULT_SERVER_LIMITS } from '../../../src/http/index.js'
import { startSimulator } from '../../support/start-simulator.js'

const running: RunningSimulator[] = []
const sockets: net.Socket[] = []
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy()
  await Promise.all(running.splice(0).map((server) => server.close()))
})

const pause = (ms: number) => new Promise((resume) => setTimeout(resume, ms))

async function setup(limits: Partial<typeof DEFAULT_SERVER_LIMITS> = {}) {
  const simulator = startSimulator({ serverLimits: { ...DEFAULT_SERVER_LIMITS, ...limits } })
  const server = await simulator.listen()
  running.push(server)
  return { url: server.url, port: Number(new URL(server.url).port) }
}

/**
 * A client that sends the first `atOnce` characters of a request, then the rest one byte at a
 * time, `everyMs` apart.
 */
function trickle(port: number, request: string, everyMs: number, atOnce = 0) {
  const socket = net.connect(port, '127.0.0.1')
  sockets.push(socket)
  let received = ''
  socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')))
  socket.on('error', () => undefined)
  const startedAt = performance.now()
  const closed = new Promise<number>((done) =>
    socket.on('close', () => done(performance.now() - startedAt)),
  )
  socket.write(request.slice(0, atOnce))
  let sent = atOnce
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= request.length) return clearInterval(timer)
    socket.write(request[sent] as string)
    sent += 1
  }, everyMs)
  socket.on('close', () => clearInterval(timer))
  return { closed, received: () => received }
}

const SLOW_HEAD = `GET /_callsim/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(10_000)}\r\n\r\n`

test('cuts off a client that sends its headers too slowly with a 408', async () => {
  const { port } = await setup({ headersTimeoutMs: 250, timeoutCheckIntervalMs: 50 })
  const slow = trickle(port, SLOW_HEAD, 20)
  const closedAfterMs = await slow.closed
  expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /)
  expect(closedAfterMs).toBeLessThan(3000)
})

test('cuts off a client that sends its body too slowly with a 408', async () => {
  const { port } = await setup({
    headersTimeoutMs: 250,
    requestTimeoutMs: 500,
    timeoutCheckIntervalMs: 50,
  })
  const body = `{"sub":"tel:+15550001","scope":"${'a'.repeat(1000)}"}`
  const head = `POST /_callsim/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`
  // The headers arrive in time; the body would take 20 s.
  const slow = trickle(port, head + body, 20, head.length)
  const closedAfterMs = await slow.closed
  expect(slow.received()).toMatch(/^HTTP\/1\.1 408 /)
  expect(closedAfterMs).toBeLessThan(4000)
})

test('keeps answering a normal client quickly while 200 slow clients trickle', async () => {
  const { url, port } = await setup()
  const timeGets = async (count: number): Promise<number[]> => {
    const latencies: number[] = []
    for (let index = 0; index < count; index += 1) {
      const startedAt = performance.now()
      const response = await fetch(`${url}/_callsim/clock`, { signal: AbortSignal.timeout(5000) })
      await response.json()
      expect(response.status).toBe(200)
      latencies.push(performance.now() - startedAt)
    }
    return latencies.sort((a, b) => a - b)
  }
  const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] as number
  const quiet = await timeGets(20)
  const slow = Array.from({ length: 200 }, () => trickle(port, SLOW_HEAD, 50))
  await pause(300)
  const busy = await timeGets(20)
  // Slow clients cost the event loop next to nothing: the median stays within a few times the
  // quiet one (bounds generous for a shared CI host), and no request comes near a second.
  expect(median(busy)).toBeLessThan(Math.max(50, 5 * median(quiet)))
  expect(busy.at(-1)).toBeLessThan(1000)
  for (const client of slow) expect(client.received()).toBe('')
}, 30_000)
