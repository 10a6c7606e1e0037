import request from 'supertest'
import { afterEach, expect, test } from 'vitest'
import type { RunningSimulator } from '../../../src/app/index.js'
import { sendRaw } from '../../support/raw-http.js'
import { ALICE, BOB, advance, startSimulator, tokenFor } from '../../support/start-simulator.js'

const BASE = '/webrtc-call-handling/vwip'
const CAROL = 'tel:+15550003'
const running: RunningSimulator[] = []
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

async function setup(options: Parameters<typeof startSimulator>[0] = {}) {
  const simulator = startSimulator({ registration: 'optional', ...options })
  const http = request(simulator.app)
  const token = await tokenFor(simulator, ALICE)
  const call = async (receiverAddress: string, scenario?: string) => {
    const response = await http
      .post(`${BASE}/sessions`)
      .set({ authorization: `Bearer ${token}`, registrationId: 'any' })
      .set(scenario ? { 'x-callsim-scenario': scenario } : {})
      .send({ originatorAddress: ALICE, receiverAddress, offer: { sdp: 'v=0\r\n' } })
    expect(response.status).toBe(201)
    return String((response.body as { mediaSessionId: string }).mediaSessionId)
  }
  return { simulator, http, token, call }
}

test('lists calls newest first, filtered by subscriber, status, face and scenario, one page at a time', async () => {
  const { http, call, simulator } = await setup()
  const first = await call(BOB)
  const second = await call(CAROL, 'busy-callee')
  const third = await call(BOB)
  advance(simulator, 5000)

  const newest = await http.get('/_callsim/calls?order=newest&limit=2')
  expect(newest.status).toBe(200)
  expect(newest.body.total).toBe(3)
  expect(newest.body.calls.map((c: { id: string }) => c.id)).toEqual([third, second])
  const older = await http.get('/_callsim/calls?order=newest&limit=2&offset=2')
  expect(older.body.calls.map((c: { id: string }) => c.id)).toEqual([first])

  const toCarol = await http.get(`/_callsim/calls?subscriber=${encodeURIComponent(CAROL)}`)
  expect(toCarol.body).toMatchObject({ total: 1, calls: [{ id: second, status: 'Busy' }] })
  const busy = await http.get('/_callsim/calls?scenario=busy-callee&status=Busy')
  expect(busy.body.total).toBe(1)
  const viaCamara = await http.get('/_callsim/calls?face=camara-call-handling&status=Connected')
  expect(viaCamara.body).toMatchObject({ total: 2, calls: [{ via: 'camara-call-handling' }, {}] })
  expect((await http.get('/_callsim/calls?face=oracle-click2call')).body.total).toBe(0)
})

test('lists calls without their timelines with timeline=false, as the console reads its pages', async () => {
  const { http, call, simulator } = await setup()
  await call(BOB)
  await call(CAROL, 'busy-callee')
  advance(simulator, 5000)

  const full = await http.get('/_callsim/calls?order=newest&limit=50')
  const rows = await http.get('/_callsim/calls?order=newest&limit=50&timeline=false')
  expect(rows.status).toBe(200)
  expect(rows.headers['x-callsim-violations']).toBeUndefined()
  expect(full.body.calls[0].timeline.length).toBeGreaterThan(1)
  // Everything but the timeline, and the same calls in the same order.
  expect(rows.body).toEqual({
    total: 2,
    calls: full.body.calls.map(({ timeline: _timeline, ...row }: { timeline: unknown }) => row),
  })
  expect((await http.get('/_callsim/calls?timeline=maybe')).status).toBe(400)
})

test('answers 400 for a calls page outside the declared limits', async () => {
  const { http } = await setup()
  const response = await http.get('/_callsim/calls?limit=0')
  expect(response.status).toBe(400)
  expect(response.body.code).toBe('OUT_OF_RANGE')
})

test('gives one call its ladder: every exchange about it with bodies, and its timeline', async () => {
  const { http, call, simulator, token } = await setup()
  const id = await call(BOB)
  advance(simulator, 5000)
  await http.get(`${BASE}/sessions/${id}`).set({ authorization: `Bearer ${token}` })
  await http.get('/_callsim/clock')

  const ladder = await http.get(`/_callsim/calls/${id}/ladder`)
  expect(ladder.status).toBe(200)
  expect(ladder.body.call).toMatchObject({ id, status: 'Connected' })
  expect(ladder.body.call.timeline.map((t: { to: string }) => t.to)).toEqual([
    'Initial',
    'InProgress',
    'Ringing',
    'Connected',
  ])
  expect(
    ladder.body.exchanges.map((e: { method: string; status: number }) => `${e.method} ${e.status}`),
  ).toEqual(['POST 201', 'GET 200'])
  expect(ladder.body.omittedExchanges).toBe(0)
  expect(JSON.parse(ladder.body.exchanges[0].requestBody)).toMatchObject({ receiverAddress: BOB })
  expect(JSON.parse(ladder.body.exchanges[1].responseBody)).toMatchObject({
    mediaSessionId: id,
    status: 'Connected',
  })
  expect(ladder.body.now).toBe('2025-01-01T00:00:05.000Z')

  const missing = await http.get('/_callsim/calls/NO-SUCH-CALL/ladder')
  expect(missing.status).toBe(404)
  expect(missing.body.code).toBe('NOT_FOUND')
})

test('pages newest first through more calls than the page keeps on its way, in both orders', async () => {
  const { http, call } = await setup()
  const ids: string[] = []
  for (let index = 0; index < 9; index += 1) ids.push(await call(BOB))
  const idsOf = (body: { calls: { id: string }[] }) => body.calls.map((c) => c.id)
  const newest = await http.get('/_callsim/calls?order=newest&limit=2&offset=1')
  expect(newest.body.total).toBe(9)
  expect(idsOf(newest.body)).toEqual([ids[7], ids[6]])
  const oldest = await http.get('/_callsim/calls?limit=2&offset=1')
  expect(idsOf(oldest.body)).toEqual([ids[1], ids[2]])
  const all = await http.get('/_callsim/calls?order=newest')
  expect(idsOf(all.body)).toEqual([...ids].reverse())
})

test('keeps the ladder of a call polled hard to its newest 100 exchanges and counts the rest', async () => {
  const { http, call, token } = await setup()
  const id = await call(BOB)
  for (let poll = 0; poll < 120; poll += 1)
    await http.get(`${BASE}/sessions/${id}`).set({ authorization: `Bearer ${token}` })
  const ladder = await http.get(`/_callsim/calls/${id}/ladder`)
  expect(ladder.status).toBe(200)
  expect(ladder.body.exchanges).toHaveLength(100)
  expect(ladder.body.omittedExchanges).toBe(21)
  // The newest are kept: the POST that created the call is among the left-out ones.
  expect(ladder.body.exchanges.every((e: { method: string }) => e.method === 'GET')).toBe(true)
})

test('filters the journal by face, operation, status and violations, and shows one entry with its bodies', async () => {
  const { http, call, token } = await setup()
  await call(BOB)
  const broken = await http
    .post(`${BASE}/sessions`)
    .set({ authorization: `Bearer ${token}`, registrationId: 'any' })
    .send({ originatorAddress: ALICE, receiverAddress: 'nobody', offer: {} })
  expect(broken.status).toBe(400)
  await http.get('/_callsim/clock')

  const withoutControl = await http.get('/_callsim/journal?control=false')
  expect(withoutControl.body.entries.map((e: { status: number }) => e.status)).toEqual([201, 400])
  const flagged = await http.get('/_callsim/journal?violations=true')
  expect(flagged.body.entries).toHaveLength(1)
  expect(flagged.body.entries[0].requestViolations[0]).toMatchObject({
    path: 'body.receiverAddress',
  })
  expect(flagged.body.entries[0].requestBody).toBeUndefined()
  const created = await http.get(
    '/_callsim/journal?face=camara-call-handling&operationId=createSession&status=201',
  )
  expect(created.body.entries).toHaveLength(1)

  const entry = await http.get(`/_callsim/journal/${flagged.body.entries[0].seq}`)
  expect(entry.status).toBe(200)
  expect(JSON.parse(entry.body.requestBody)).toEqual({
    originatorAddress: ALICE,
    receiverAddress: 'nobody',
    offer: {},
  })
  expect(JSON.parse(entry.body.responseBody)).toMatchObject({ code: 'INVALID_ARGUMENT' })
  expect((await http.get('/_callsim/journal/999')).status).toBe(404)
})

/** Reads Server-Sent Events frames from GET /_callsim/stream until `count` have arrived. */
async function readFrames(
  url: string,
  count: number,
  headers: Record<string, string> = {},
  search = '',
) {
  const controller = new AbortController()
  const response = await fetch(`${url}/_callsim/stream${search}`, {
    headers,
    signal: controller.signal,
  })
  const frames: { event: string; data: Record<string, unknown> }[] = []
  const next = async (): Promise<typeof frames> => {
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    while (frames.length < count) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.*)$/m.exec(frame)?.[1]
        const data = /^data: (.*)$/m.exec(frame)?.[1]
        if (event && data) frames.push({ event, data: JSON.parse(data) })
      }
    }
    controller.abort()
    return frames
  }
  return { response, frames: next }
}

test('streams changes as Server-Sent Events: the call, the journal and the clock, in one batch', async () => {
  const { simulator, call } = await setup()
  const server = await simulator.listen()
  running.push(server)
  const stream = await readFrames(server.url, 2)
  expect(stream.response.status).toBe(200)
  expect(stream.response.headers.get('content-type')).toBe('text/event-stream')
  const id = await call(BOB)
  const [ready, change] = await stream.frames()
  expect(ready).toMatchObject({ event: 'ready', data: { clock: { kind: 'virtual' } } })
  expect(change).toMatchObject({
    event: 'change',
    data: {
      calls: [id],
      createdOrExpired: true,
      ladders: [id],
      journal: true,
      reset: false,
      clock: { now: '2025-01-01T00:00:00.000Z', nextDueAt: '2025-01-01T00:00:00.200Z' },
    },
  })
})

test('names in a batch the call a client only read, as a ladder that changed, not as a changed call', async () => {
  const { simulator, http, token, call } = await setup()
  const id = await call(BOB)
  const server = await simulator.listen()
  running.push(server)
  const stream = await readFrames(server.url, 2)
  const read = await http.get(`${BASE}/sessions/${id}`).set({ authorization: `Bearer ${token}` })
  expect(read.status).toBe(200)
  const [, change] = await stream.frames()
  expect(change).toMatchObject({
    event: 'change',
    data: {
      calls: [],
      moreCalls: false,
      createdOrExpired: false,
      ladders: [id],
      moreLadders: false,
      journal: true,
    },
  })
})

test('says in each batch whether the call the stream was opened for changed', async () => {
  const { simulator, http, token, call } = await setup()
  const watched = await call(BOB)
  const other = await call(CAROL)
  const server = await simulator.listen()
  running.push(server)
  const stream = await readFrames(server.url, 3, {}, `?call=${watched}`)
  const read = (id: string) =>
    http.get(`${BASE}/sessions/${id}`).set({ authorization: `Bearer ${token}` })
  expect((await read(other)).status).toBe(200)
  // The next read waits for the first batch to leave, so each lands in a batch of its own.
  await new Promise((resolve) => setTimeout(resolve, 50))
  expect((await read(watched)).status).toBe(200)
  const [, first, second] = await stream.frames()
  expect(first?.data).toMatchObject({ ladders: [other], callChanged: false })
  expect(second?.data).toMatchObject({ ladders: [watched], callChanged: true })

  const tooLong = await http.get(`/_callsim/stream?call=${'x'.repeat(257)}`)
  expect(tooLong.status).toBe(400)
  expect(tooLong.body.message).toContain('call')
})

test('answers HEAD on the stream with its head alone and ends it, so the connection serves on', async () => {
  const { simulator } = await setup()
  const server = await simulator.listen()
  running.push(server)
  // Two requests on one connection: the second is answered only if the HEAD ended.
  const { text, closedByServer } = await sendRaw(Number(new URL(server.url).port), [
    'HEAD /_callsim/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'GET /_callsim/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
  ])
  const heads = text.split('HTTP/1.1 ').slice(1)
  expect(heads).toHaveLength(2)
  expect(heads[0]).toMatch(/^200 OK\r\n(.*\r\n)*content-type: text\/event-stream\r\n/i)
  expect(heads[0]).not.toContain('event: ready')
  expect(heads[1]).toMatch(/^200 OK\r\n/)
  expect(closedByServer).toBe(true)
})

test('asks for the admin token on the stream as on every control operation', async () => {
  const { simulator } = await setup({ adminToken: 'admin-secret' })
  const server = await simulator.listen()
  running.push(server)
  const refused = await fetch(`${server.url}/_callsim/stream`)
  expect(refused.status).toBe(401)
  const stream = await readFrames(server.url, 1, { authorization: 'Bearer admin-secret' })
  expect((await stream.frames())[0]?.event).toBe('ready')
})

test('keeps the stream, ladders and journal bodies from pages of another origin or Host, even with the admin token', async () => {
  const { http, call } = await setup({ adminToken: 'admin-secret' })
  const id = await call(BOB)
  const admin = { authorization: 'Bearer admin-secret' }
  for (const path of ['/_callsim/stream', `/_callsim/calls/${id}/ladder`, '/_callsim/journal/1']) {
    expect(
      (await http.get(path).set(admin).set('origin', 'http://evil.example')).status,
      path,
    ).toBe(403)
    expect((await http.get(path).set(admin).set('sec-fetch-site', 'cross-site')).status, path).toBe(
      403,
    )
    expect((await http.get(path).set(admin).set('host', 'rebound.evil.example')).status, path).toBe(
      403,
    )
    expect((await http.get(path).set('sec-fetch-site', 'same-origin')).status, path).toBe(401)
  }
  const own = await http.get(`/_callsim/calls/${id}/ladder`).set(admin).set({
    host: 'localhost:9091',
    origin: 'http://localhost:9091',
    'sec-fetch-site': 'same-origin',
  })
  expect(own.status).toBe(200)
})

test('serves the console page from the package, with a policy that keeps it to its own files', async () => {
  const { http } = await setup()
  const page = await http.get('/_callsim/ui/')
  expect(page.status).toBe(200)
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
  expect(page.headers['content-security-policy']).toContain("script-src 'self'")
  expect(page.text).toContain('<script type="module" src="/_callsim/ui/console.js">')
  const script = await http.get('/_callsim/ui/console.js')
  expect(script.status).toBe(200)
  expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
  expect(script.text).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
  expect((await http.get('/_callsim/ui/../spec/callsim-admin.yaml')).status).toBe(404)
  expect((await http.get('/_callsim/ui/nothing.js')).status).toBe(404)
  expect((await http.post('/_callsim/ui/').send({})).status).toBe(405)
})
