import net from 'node:net'
import { afterEach, expect, test } from 'vitest'
import type { RunningSimulator } from '../../../src/app/index.js'
import { startSimulator, tokenFor } from '../../support/start-simulator.js'

const running: RunningSimulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

const FIVE_MB = 5 * 1024 * 1024

test('answers 413 to each of 6 uploads of 5 MB, three at a time, never a reset', async () => {
  const simulator = startSimulator()
  const server = await simulator.listen()
  running.push(server)
  const token = await tokenFor(simulator)
  const body = `{"padding":"${'x'.repeat(FIVE_MB)}"}`
  const upload = async (): Promise<number | string> => {
    try {
      const response = await fetch(`${server.url}/webrtc-call-handling/vwip/sessions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(10_000),
      })
      const answer = (await response.json()) as { code: string; message: string }
      expect(answer.code).toBe('PAYLOAD_TOO_LARGE')
      expect(response.headers.get('connection')).toBe('close')
      return response.status
    } catch (error) {
      // Before the staged close, many uploads here ended in "fetch failed" (a reset).
      return String((error as Error).cause ?? error)
    }
  }
  // Three clients at a time, so that the server is busy while uploads still arrive; twice, so
  // that the second batch meets a server that has just closed three connections. Thirty
  // uploads (~1.2 s of CPU) proved no more: with the staged close taken out of
  // drainThenAnswer, all 30 still got their 413 here (fetch reads the early answer), and
  // it is the next test, which writes the upload itself, that catches the reset.
  const statuses: (number | string)[] = []
  for (let batch = 0; batch < 2; batch += 1) {
    statuses.push(...(await Promise.all([upload(), upload(), upload()])))
  }
  expect(statuses).toEqual(Array.from({ length: 6 }, () => 413))
  expect([...simulator.control.calls()]).toHaveLength(0)
}, 120_000)

test('reads an oversized upload to its end before it answers 413 and closes, so the client never gets a reset', async () => {
  const simulator = startSimulator({ bodyLimitBytes: 1024 })
  const server = await simulator.listen()
  running.push(server)
  const socket = net.connect(Number(new URL(server.url).port), '127.0.0.1')
  const received: Buffer[] = []
  let failure: string | undefined
  socket.on('data', (chunk: Buffer) => received.push(chunk))
  socket.on('error', (error: NodeJS.ErrnoException) => (failure = error.code))
  const closed = new Promise<void>((done) => socket.on('close', () => done()))
  await new Promise<void>((connected) => socket.once('connect', () => connected()))
  const piece = Buffer.alloc(64 * 1024, 'x')
  const pieces = 32
  socket.write(
    `POST /_callsim/tokens HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${piece.length * pieces}\r\n\r\n`,
  )
  // 2 MiB in pieces with pauses: a server that closed at its first answer would reset these writes.
  let sent = 0
  while (sent < pieces && !socket.destroyed) {
    socket.write(piece)
    sent += 1
    await new Promise((pause) => setTimeout(pause, 5))
  }
  await closed
  // The whole upload went out before the server closed, and nothing was reset.
  expect(sent).toBe(pieces)
  expect(failure).toBeUndefined()
  const answer = Buffer.concat(received).toString('utf8')
  expect(answer).toMatch(/^HTTP\/1\.1 413 /)
  expect(answer).toMatch(/connection: close/i)
  expect(answer).toMatch(/"code":"PAYLOAD_TOO_LARGE"/)
})
