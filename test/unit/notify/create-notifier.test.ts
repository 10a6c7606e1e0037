import { afterEach, expect, test } from 'vitest'
import type { Violation } from '../../../src/contract/index.js'
import {
  DomainEvents,
  Network,
  Subscriptions,
  VirtualClock,
  createFaker,
  createRandom,
  type Lifecycle,
} from '../../../src/core/index.js'
import { createNotifier, type CloudEvent, type NotifierOptions } from '../../../src/notify/index.js'
import { startSink, type SinkBehaviour } from '../../support/start-sink.js'

const START = Date.UTC(2025, 0, 1)
const ALICE = 'tel:+15550001'
const STATUS = 'org.camaraproject.webrtc-events.v0.session-status'
/** InProgress at 100 ms, Ringing at 200 ms, Connected at 300 ms. */
const LIFECYCLE: Lifecycle = {
  steps: [
    { delayMs: 100, from: 'previous', action: { kind: 'status', status: 'InProgress' } },
    { delayMs: 100, from: 'previous', action: { kind: 'status', status: 'Ringing' } },
    { delayMs: 100, from: 'previous', action: { kind: 'answer' } },
  ],
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function setup(behaviour: SinkBehaviour, overrides: Partial<NotifierOptions> = {}) {
  const clock = new VirtualClock(START)
  const events = new DomainEvents()
  const network = new Network({ clock, faker: createFaker(42), random: createRandom(42), events })
  const subscriptions = new Subscriptions({ clock, faker: createFaker(43), events })
  const violations: Violation[] = []
  const notifier = createNotifier({
    clock,
    subscriptions,
    source: '/webrtc-events/vwip',
    strict: true,
    validate: () => [],
    onViolation: (violation) => violations.push(violation),
    ...overrides,
  })
  events.subscribe((event) => notifier.handle(event))
  const sink = await startSink(behaviour)
  cleanups.push(
    () => notifier.dispose(),
    () => sink.close(),
  )
  const created = subscriptions.create({
    owner: ALICE,
    deviceId: 'device-1',
    type: STATUS,
    sink: sink.url,
  })
  if (!created.ok) throw new Error('no subscription')
  const placeCall = () =>
    network.placeCall({
      originator: { address: ALICE },
      receiver: { address: 'tel:+15550002' },
      owner: ALICE,
      scenarioId: 'test',
      lifecycle: LIFECYCLE,
    })
  const statuses = () => sink.received.map((r) => (r.body as CloudEvent).data.status)
  const results = () =>
    notifier.deliveries().items.map((d) => `${String(d.status ?? '-')} ${d.result}`)
  return {
    clock,
    notifier,
    sink,
    subscriptions,
    subscription: created.value,
    placeCall,
    statuses,
    results,
    violations,
  }
}

test('holds later events back until the first one is delivered, so the sink sees them in order', async () => {
  const { clock, notifier, sink, placeCall, statuses, results } = await setup((index) =>
    index === 0 ? 503 : 204,
  )
  placeCall()
  clock.advance(300)
  await notifier.settled()
  expect(statuses()).toEqual(['InProgress'])
  expect(results()).toEqual(['503 failed'])
  expect(notifier.deliveries().items[0]).toMatchObject({
    attempt: 1,
    nextAttemptAt: '2025-01-01T00:00:01.300Z',
  })
  expect(notifier.backlog()).toBe(3)
  clock.advance(1000)
  await sink.waitFor(4)
  await notifier.settled()
  expect(statuses()).toEqual(['InProgress', 'InProgress', 'Ringing', 'Connected'])
  expect(results()).toEqual(['503 failed', '204 delivered', '204 delivered', '204 delivered'])
  expect(notifier.backlog()).toBe(0)
})

test('gives up on an event after five attempts and goes on with the next one', async () => {
  const { clock, notifier, sink, placeCall, statuses, results } = await setup((index) =>
    index < 5 ? 500 : 204,
  )
  placeCall()
  clock.advance(100)
  for (const wait of [1000, 2000, 4000, 8000]) {
    await notifier.settled()
    clock.advance(wait)
  }
  await sink.waitFor(6)
  clock.advance(200)
  await sink.waitFor(7)
  await notifier.settled()
  expect(results()).toEqual([
    '500 failed',
    '500 failed',
    '500 failed',
    '500 failed',
    '500 gave-up',
    '204 delivered',
    '204 delivered',
  ])
  expect(notifier.deliveries().items[4]?.error).toBe(
    'the sink answered 500; gave up after 5 attempts',
  )
  expect(statuses()).toEqual([
    'InProgress',
    'InProgress',
    'InProgress',
    'InProgress',
    'InProgress',
    'Ringing',
    'Connected',
  ])
  clock.advance(60_000)
  await notifier.settled()
  expect(sink.received).toHaveLength(7)
})

test('does not retry an event the sink refuses with a 4xx', async () => {
  const { clock, notifier, sink, placeCall, results } = await setup((index) =>
    index === 0 ? 400 : 204,
  )
  placeCall()
  clock.advance(100)
  await notifier.settled()
  clock.advance(200)
  await sink.waitFor(3)
  await notifier.settled()
  expect(results()).toEqual(['400 rejected', '204 delivered', '204 delivered'])
})

test('counts a sink that cannot be reached as a temporary failure', async () => {
  const { clock, notifier, sink, placeCall } = await setup(() => 204)
  await sink.close()
  placeCall()
  clock.advance(100)
  await notifier.settled()
  expect(notifier.deliveries().items).toEqual([
    expect.objectContaining({
      result: 'failed',
      attempt: 1,
      error: expect.stringMatching(/^the sink cannot be reached: ECONNREFUSED/),
    }),
  ])
})

test('keeps back an event that breaks the spec in strict mode and reports the violation', async () => {
  const violation: Violation = {
    direction: 'callback',
    operationId: 'createNotificationChannelSubscription',
    location: 'body',
    path: 'body.data',
    keyword: 'required',
    message: 'data.x is required',
  }
  const { clock, notifier, sink, placeCall, results, violations } = await setup(() => 204, {
    validate: () => [violation],
  })
  placeCall()
  clock.advance(300)
  await notifier.settled()
  expect(sink.received).toHaveLength(0)
  expect(results()).toEqual(['- not-sent', '- not-sent', '- not-sent'])
  expect(violations).toHaveLength(3)
})

test('still sends an event that breaks the spec when not strict, and reports the violation', async () => {
  const violation: Violation = {
    direction: 'callback',
    operationId: 'x',
    location: 'body',
    path: 'body',
    keyword: 'type',
    message: 'bad',
  }
  const { clock, notifier, sink, placeCall, violations } = await setup(() => 204, {
    strict: false,
    validate: () => [violation],
  })
  placeCall()
  clock.advance(100)
  await sink.waitFor(1)
  await notifier.settled()
  expect(violations).toHaveLength(1)
})

test('gives up waiting on a sink that never answers after the timeout, and retries later', async () => {
  const { clock, notifier, sink, placeCall } = await setup(
    (index) => (index === 0 ? 'hang' : 204),
    { timeoutMs: 200 },
  )
  placeCall()
  clock.advance(100)
  await notifier.settled()
  expect(notifier.deliveries().items).toEqual([
    expect.objectContaining({ result: 'failed', error: 'no answer within 200 ms' }),
  ])
  clock.advance(1000)
  await sink.waitFor(2)
})

test('reset aborts an attempt in flight and forgets every queue', async () => {
  const { clock, notifier, sink, placeCall } = await setup(() => 'hang')
  placeCall()
  clock.advance(300)
  await sink.waitFor(1)
  notifier.reset()
  await notifier.settled()
  expect(notifier.backlog()).toBe(0)
  expect(notifier.deliveries()).toEqual({ total: 0, items: [] })
  expect(clock.pending()).toBe(0)
})
