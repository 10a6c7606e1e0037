import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { expect, test } from 'vitest'
import { startSink } from '../../support/start-sink.js'
import { ALICE, BASE, BOB, CALLS, OFFER, TYPES, eventsOf, onCleanup, setup } from './setup.js'

test('retries a failing sink with backoff on the clock and journals every attempt', async () => {
  const { subscribe, placeCall, advance, sink, deliveries, simulator } = await setup({}, (index) =>
    index < 2 ? 503 : 204,
  )
  const id = await subscribe(TYPES.status)
  const mediaSessionId = await placeCall()
  advance(200)
  await simulator.notifier.settled()
  advance(1000)
  await simulator.notifier.settled()
  advance(2000)
  // The third attempt gets through; Ringing, which happened at 1 s, waited its turn behind it.
  await sink.waitFor(4)
  await simulator.notifier.settled()
  expect(eventsOf(sink.received).map((e) => e.data.status)).toEqual([
    'InProgress',
    'InProgress',
    'InProgress',
    'Ringing',
  ])
  const journal = await deliveries(`?subscriptionId=${id}`)
  expect(journal.total).toBe(4)
  expect(journal.deliveries).toEqual([
    {
      seq: 1,
      at: '2025-01-01T00:00:00.200Z',
      subscriptionId: id,
      eventId: `${id}-1`,
      eventType: TYPES.status,
      mediaSessionId,
      sink: sink.url,
      attempt: 1,
      result: 'failed',
      status: 503,
      error: 'the sink answered 503',
      latencyMs: expect.any(Number),
      nextAttemptAt: '2025-01-01T00:00:01.200Z',
    },
    expect.objectContaining({
      seq: 2,
      at: '2025-01-01T00:00:01.200Z',
      eventId: `${id}-1`,
      attempt: 2,
      result: 'failed',
      nextAttemptAt: '2025-01-01T00:00:03.200Z',
    }),
    expect.objectContaining({
      seq: 3,
      at: '2025-01-01T00:00:03.200Z',
      eventId: `${id}-1`,
      attempt: 3,
      result: 'delivered',
      status: 204,
    }),
    expect.objectContaining({
      seq: 4,
      at: '2025-01-01T00:00:03.200Z',
      eventId: `${id}-2`,
      attempt: 1,
      result: 'delivered',
      status: 204,
    }),
  ])
})

test('gives up after five attempts and shows it in the delivery journal', async () => {
  const { subscribe, placeCall, advance, deliveries, simulator } = await setup({}, () => 500)
  const id = await subscribe(TYPES.status)
  await placeCall()
  advance(200)
  for (const wait of [1000, 2000, 4000, 8000]) {
    await simulator.notifier.settled()
    advance(wait)
  }
  await simulator.notifier.settled()
  const journal = await deliveries()
  const first = journal.deliveries.filter((d) => d.eventId === `${id}-1`)
  expect(first.map((d) => `${String(d.attempt)} ${String(d.result)}`)).toEqual([
    '1 failed',
    '2 failed',
    '3 failed',
    '4 failed',
    '5 gave-up',
  ])
  expect(first[4]?.error).toBe('the sink answered 500; gave up after 5 attempts')
  expect(first[4]).not.toHaveProperty('nextAttemptAt')
  // The next event (Ringing) went out as soon as the first was given up.
  expect(journal.deliveries.at(-1)).toMatchObject({
    eventId: `${id}-2`,
    attempt: 1,
    result: 'failed',
  })
})

test('answers API requests at once while the sink hangs', async () => {
  const { subscribe, placeCall, advance, sink, http, auth, tokens, simulator } = await setup(
    { deliveryTimeoutMs: 10_000 },
    () => 'hang',
  )
  await subscribe(TYPES.status)
  const mediaSessionId = await placeCall()
  advance(200)
  await sink.waitFor(1)
  const hangStarted = sink.received[0]?.receivedAt ?? 0
  const timings: number[] = []
  for (let n = 0; n < 5; n += 1) {
    const started = performance.now()
    const read = await http.get(`${CALLS}/sessions/${mediaSessionId}`).set(auth(tokens.alice))
    expect(read.status).toBe(200)
    advance(1000)
    timings.push(performance.now() - started)
  }
  const status = await http
    .put(`${CALLS}/sessions/${mediaSessionId}/status`)
    .set(auth(tokens.alice))
    .send({ status: 'Hold' })
  expect(status.status).toBe(200)
  // Every request was answered while the first event was still unanswered by the sink.
  expect(sink.received).toHaveLength(1)
  expect(simulator.notifier.deliveries().total).toBe(0)
  expect(simulator.notifier.backlog()).toBeGreaterThanOrEqual(4)
  const hungFor = performance.now() - hangStarted
  expect(Math.max(...timings)).toBeLessThan(hungFor)
  expect(Math.max(...timings)).toBeLessThan(1000)
})

test("keeps each sink to itself: a hanging sink does not delay another subscriber's events", async () => {
  const { subscribe, placeCall, advance, sink, simulator, startIncomingCall } = await setup(
    {},
    () => 'hang',
  )
  await subscribe(TYPES.status)
  const bobSink = await startSink()
  onCleanup(() => bobSink.close())
  const bobToken = (await simulator.control.issueToken({ sub: BOB })).token
  await request(simulator.app)
    .post('/webrtc-registration/vwip/sessions')
    .set('authorization', `Bearer ${bobToken}`)
    .send({ deviceId: '0b9e0c5e-0d43-4c2a-9c0e-5f1f3c6f2a10' })
  const bobSubscription = await request(simulator.app)
    .post(`${BASE}/subscriptions`)
    .set('authorization', `Bearer ${bobToken}`)
    .send({
      protocol: 'HTTP',
      sink: bobSink.url,
      types: [TYPES.invitation],
      config: { subscriptionDetail: { deviceId: '0b9e0c5e-0d43-4c2a-9c0e-5f1f3c6f2a10' } },
    })
  expect(bobSubscription.status).toBe(201)
  await placeCall()
  advance(200)
  await sink.waitFor(1)
  await startIncomingCall({ from: ALICE, to: BOB, fromName: 'Alice' })
  const [invitation] = eventsOf(await bobSink.waitFor(1))
  expect(invitation).toMatchObject({
    type: TYPES.invitation,
    data: { originatorAddress: ALICE, receiverAddress: BOB },
  })
  expect(bobSink.received[0]?.headers.authorization).toBeUndefined()
})

test('records an event that breaks the events spec as a callback violation and keeps it back in strict mode', async () => {
  // A stricter release of the spec: sequence numbers may not pass 2, so the third event breaks it.
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-events-spec-'))
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  const spec = readFileSync(
    new URL('../../../spec/camara/webrtc-events.yaml', import.meta.url),
    'utf8',
  )
  const stricter = spec.replace(
    '          minimum: 1\n          maximum: 2147483647\n          description: Sequence number',
    '          minimum: 1\n          maximum: 2\n          description: Sequence number',
  )
  expect(stricter).not.toBe(spec)
  const file = path.join(dir, 'webrtc-events.yaml')
  writeFileSync(file, stricter)
  const { subscribe, placeCall, advance, sink, http, deliveries, simulator } = await setup({
    specs: [file],
  })
  await subscribe(TYPES.status)
  await placeCall()
  advance(4000)
  await sink.waitFor(1)
  await simulator.notifier.settled()
  const violations = await http.get('/_callsim/violations')
  expect(violations.body.violations).toEqual([
    expect.objectContaining({
      direction: 'callback',
      operationId: 'createNotificationChannelSubscription',
      path: 'body.data.sequenceNumber',
      keyword: 'maximum',
    }),
    expect.objectContaining({
      direction: 'callback',
      path: 'body.data.sequenceNumber',
      keyword: 'maximum',
    }),
  ])
  // Kept-back events are journaled at once, sent ones when the sink answers.
  const results = (await deliveries()).deliveries.map(
    (d) => `${String(d.eventId).slice(-2)} ${String(d.result)}`,
  )
  expect(results.sort()).toEqual(['-1 delivered', '-2 not-sent', '-3 not-sent'])
  expect(sink.received).toHaveLength(1)
})

test('forgets subscriptions, queues and the delivery journal on reset', async () => {
  const { subscribe, placeCall, advance, sink, http, auth, tokens, deliveries, simulator } =
    await setup()
  await subscribe(TYPES.status)
  await placeCall()
  advance(200)
  await sink.waitFor(1)
  await simulator.notifier.settled()
  expect((await http.post('/_callsim/reset').set('content-type', 'application/json')).status).toBe(
    204,
  )
  expect((await http.get(`${BASE}/subscriptions`).set(auth(tokens.alice))).body).toEqual([])
  expect(await deliveries()).toEqual({ total: 0, deliveries: [] })
  const incoming = await http
    .post('/_callsim/calls/incoming')
    .send({ from: BOB, to: ALICE, offer: OFFER })
  expect(incoming.status).toBe(409)
})
