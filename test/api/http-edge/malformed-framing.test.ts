import { afterEach, expect, test } from 'vitest'
import type { RunningSimulator } from '../../../src/app/index.js'
import { sendRaw, statusOf } from '../../support/raw-http.js'
import { startSimulator } from '../../support/start-simulator.js'

const running: RunningSimulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

async function setup(adminToken?: string) {
  const simulator = startSimulator({ adminToken })
  const server = await simulator.listen()
  running.push(server)
  const port = Number(new URL(server.url).port)
  const stillAnswers = async () => {
    const response = await fetch(`${server.url}/_callsim/clock`, {
      headers: adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` },
    })
    expect(response.status).toBe(200)
  }
  return { simulator, port, stillAnswers }
}

const head = (method: string, path: string, headers: string[]) =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`

test('answers "Content-Length: 00" without a body, on every face and before the admin token', async () => {
  const { port, stillAnswers } = await setup('s3cret-admin')
  // The reproduction of issue 16: this request used to kill the process.
  for (const path of ['/_callsim/clock', '/webrtc-call-handling/vwip/sessions', '/sbc/session']) {
    const { text } = await sendRaw(port, [head('GET', path, ['Content-Length: 00'])], {
      endAfterWrite: true,
    })
    expect(statusOf(text)).toBeGreaterThanOrEqual(400)
    expect(statusOf(text)).toBeLessThan(500)
    expect(text).toMatch(/content-type: application\/json/i)
  }
  await stillAnswers()
})

test('refuses a Content-Length that is not a number with a 400 and closes the connection', async () => {
  const { port, stillAnswers } = await setup()
  for (const length of ['abc', '-1', '1 2', '0x10']) {
    const { text, closedByServer } = await sendRaw(port, [
      head('POST', '/_callsim/reset', [
        'Content-Type: application/json',
        `Content-Length: ${length}`,
      ]),
    ])
    expect(statusOf(text)).toBe(400)
    expect(closedByServer).toBe(true)
  }
  await stillAnswers()
})

test('closes the connection on a truncated or broken chunked body and keeps serving', async () => {
  const { port, simulator, stillAnswers } = await setup()
  const chunked = head('POST', '/_callsim/tokens', [
    'Content-Type: application/json',
    'Transfer-Encoding: chunked',
  ])
  // A chunk size that is not hex, then a body cut off before its last chunk.
  const broken = await sendRaw(port, [chunked, 'zz\r\n{"sub"\r\n'])
  expect([0, 400]).toContain(statusOf(broken.text))
  expect(broken.closedByServer).toBe(true)
  const truncated = await sendRaw(port, [chunked, '6\r\n{"sub"\r\n'], { endAfterWrite: true })
  expect([0, 400]).toContain(statusOf(truncated.text))
  expect(truncated.closedByServer).toBe(true)
  expect([...simulator.control.calls()]).toHaveLength(0)
  await stillAnswers()
})

test('survives a client that closes before its declared body arrives', async () => {
  const { port, stillAnswers } = await setup()
  for (let attempt = 0; attempt < 20; attempt += 1) {
    await sendRaw(
      port,
      [
        head('POST', '/_callsim/tokens', ['Content-Type: application/json', 'Content-Length: 500']),
        '{"sub":',
      ],
      { endAfterWrite: true, waitMs: 200 },
    )
  }
  await stillAnswers()
})

test('answers a client that half-closes after its request, also when the handler awaits', async () => {
  const { port, stillAnswers } = await setup()
  const body = '{"sub":"tel:+15550001"}'
  const headers = ['Content-Type: application/json']
  // Found in the error-hygiene suite: POST /_callsim/tokens signs its token after an await,
  // and Node had already ended the socket on the client's FIN, so no answer came.
  for (const framing of [
    [`Content-Length: ${body.length}`, body],
    ['Transfer-Encoding: chunked', `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`],
  ] as const) {
    const request = head('POST', '/_callsim/tokens', [...headers, framing[0]]) + framing[1]
    const { text, closedByServer } = await sendRaw(port, [request], { endAfterWrite: true })
    expect(statusOf(text), framing[0]).toBe(201)
    expect(text).toMatch(/"token":/)
    expect(closedByServer).toBe(true)
  }
  await stillAnswers()
})
