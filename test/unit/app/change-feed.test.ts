import { afterEach, expect, test, vi } from 'vitest'
import { MAX_BATCH_CALLS, type ChangeBatch, type ClockStatus } from '../../../src/apis/index.js'
import {
  CHANGE_BATCH_DELAY_MS,
  ChangeFeed,
  MAX_CHANGE_BATCH_DELAY_MS,
} from '../../../src/app/change-feed.js'
import { Journal } from '../../../src/http/index.js'

const clock = (): ClockStatus => ({ kind: 'system', now: 0, pendingTasks: 0 })

/** A request the journal records, about `callId` if given, as send-reply.ts records it. */
function recordRequest(journal: Journal, callId?: string, controlPlane = false): void {
  journal.record(
    {
      at: '2026-12-07T08:00:00.000Z',
      method: 'GET',
      path: callId === undefined ? '/sessions' : `/sessions/${callId}`,
      face: controlPlane ? 'admin' : 'camara-call-handling',
      operationId: undefined,
      status: 200,
      durationMs: 1,
      correlator: undefined,
      requestViolations: [],
      responseViolations: [],
      scenarioId: undefined,
      fault: undefined,
      callId,
    },
    controlPlane,
  )
}

// Fake timers stand in for the OS here, as for the system clock's tests: the feed's timing is
// what is under test, and sleeping for it would make the test slow and flaky. The journal is
// real and wired as createSimulator wires it.
function setup() {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  const journal = new Journal()
  const feed = new ChangeFeed(clock, journal.requests)
  journal.onChange = (controlPlane) => {
    if (!controlPlane) feed.noteJournal()
  }
  const batches: { at: number; batch: ChangeBatch }[] = []
  feed.watch((batch) => batches.push({ at: performance.now(), batch }))
  const request = (callId?: string, controlPlane = false) =>
    recordRequest(journal, callId, controlPlane)
  return { feed, batches, request }
}

afterEach(() => {
  vi.useRealTimers()
})

test('sends the first change after a quiet spell at once, after the task that made it', () => {
  const { feed, batches } = setup()
  const start = performance.now()
  feed.noteCall('call-1')
  feed.noteCall('call-2')
  expect(batches).toHaveLength(0)
  vi.advanceTimersByTime(0)
  expect(batches.map(({ at, batch }) => [at - start, batch.calls])).toEqual([
    [0, ['call-1', 'call-2']],
  ])
})

test('spreads batches under sustained change from 30 ms up to 150 ms apart, and is quick again after a pause', () => {
  const { feed, batches, request } = setup()
  const start = performance.now()
  // A change every millisecond for a second, as under a load test.
  for (let ms = 0; ms < 1000; ms += 1) {
    request()
    vi.advanceTimersByTime(1)
  }
  const gaps = batches.slice(1).map(({ at }, i) => at - (batches[i]?.at ?? 0))
  expect(gaps.slice(0, 4)).toEqual([CHANGE_BATCH_DELAY_MS, 60, 120, MAX_CHANGE_BATCH_DELAY_MS])
  expect(new Set(gaps.slice(3))).toEqual(new Set([MAX_CHANGE_BATCH_DELAY_MS]))
  expect(batches.length).toBeLessThanOrEqual(10)
  // The last changes' batch goes out, then nothing for the widest gap: the next change goes out
  // at once.
  vi.advanceTimersByTime(2 * MAX_CHANGE_BATCH_DELAY_MS)
  const count = batches.length
  const quietAt = performance.now()
  feed.noteCall('call-1')
  vi.advanceTimersByTime(0)
  expect(batches).toHaveLength(count + 1)
  expect((batches.at(-1)?.at ?? 0) - quietAt).toBe(0)
  expect(quietAt - start).toBeGreaterThan(1000)
})

test('names the calls whose ladder gained a request or a delivery, apart from the calls that changed', () => {
  const { feed, batches, request } = setup()
  request('call-1')
  feed.noteDelivery('call-2')
  request()
  feed.noteCall('call-3')
  vi.advanceTimersByTime(0)
  expect(batches[0]?.batch).toMatchObject({
    calls: ['call-3'],
    moreCalls: false,
    createdOrExpired: false,
    // Deliveries are noted as they happen, requests read from the journal as the batch leaves.
    ladders: ['call-2', 'call-1'],
    moreLadders: false,
    journal: true,
    deliveries: true,
  })
})

test('names at most MAX_BATCH_CALLS calls a batch and says when more changed, as under a load test', () => {
  const { feed, batches, request } = setup()
  for (let i = 0; i < MAX_BATCH_CALLS; i += 1) feed.noteCall(`call-${i}`)
  // A named call changing again is not "more".
  feed.noteCall('call-0')
  vi.advanceTimersByTime(0)
  expect(batches[0]?.batch.calls).toHaveLength(MAX_BATCH_CALLS)
  expect(batches[0]?.batch.moreCalls).toBe(false)

  for (let i = 0; i <= 2 * MAX_BATCH_CALLS; i += 1) request(`call-${i}`)
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(batches[1]?.batch.ladders).toEqual(
    Array.from({ length: MAX_BATCH_CALLS }, (_, i) => `call-${i}`),
  )
  expect(batches[1]?.batch.moreLadders).toBe(true)
})

test('tells a watcher that named a call whether that call changed, however many others did', () => {
  const { feed, batches, request } = setup()
  const named: ChangeBatch[] = []
  const leave = feed.watch((batch) => named.push(batch), 'call-7')
  // A load test's worth of changes, the named call's ladder among them past the lists' end.
  for (let i = 0; i < 2 * MAX_BATCH_CALLS; i += 1) feed.noteCall(`other-${i}`)
  request('call-7')
  vi.advanceTimersByTime(0)
  expect(named[0]).toMatchObject({ moreCalls: true, callChanged: true })
  expect(named[0]?.ladders).toEqual(['call-7'])
  // The watcher that named no call gets the batch as it was.
  expect(batches[0]?.batch).not.toHaveProperty('callChanged')

  feed.noteDelivery('other-1')
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(named[1]?.callChanged).toBe(false)
  feed.noteCall('call-7')
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(named[2]?.callChanged).toBe(true)

  leave()
  feed.noteCall('call-7')
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(named).toHaveLength(3)
  expect(batches).toHaveLength(4)
})

test("names no ladder for the control API's own requests, which the console makes itself", () => {
  const { batches, request } = setup()
  request('call-1', true)
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(batches).toEqual([])
  request('call-2')
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(batches.map(({ batch }) => batch.ladders)).toEqual([['call-2']])
})

test('names no call whose requests were recorded before anyone watched, and counts afresh after a reset cleared the journal', () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  const journal = new Journal()
  const feed = new ChangeFeed(clock, journal.requests)
  journal.onChange = () => feed.noteJournal()
  recordRequest(journal, 'before')
  const batches: ChangeBatch[] = []
  feed.watch((batch) => batches.push(batch))
  recordRequest(journal, 'call-1')
  vi.advanceTimersByTime(0)
  recordRequest(journal, 'call-2')
  journal.clear()
  feed.noteReset()
  recordRequest(journal, 'call-3')
  vi.advanceTimersByTime(MAX_CHANGE_BATCH_DELAY_MS)
  expect(batches.map((batch) => [batch.ladders, batch.reset])).toEqual([
    [['call-1'], false],
    [['call-3'], true],
  ])
})

test('costs nothing without a watcher, and sends nothing after the last one left', () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
  const feed = new ChangeFeed(clock, new Journal().requests)
  feed.noteCall('call-1')
  expect(vi.getTimerCount()).toBe(0)
  const batches: ChangeBatch[] = []
  const leave = feed.watch((batch) => batches.push(batch))
  feed.noteCall('call-2')
  leave()
  vi.advanceTimersByTime(1000)
  expect(batches).toEqual([])
  expect(vi.getTimerCount()).toBe(0)
})

test("arms its timer in whole milliseconds, as Node's timers need to stay fast", async () => {
  // Real timers: a fractional delay comes from performance.now(), which fake timers round.
  const armed = vi.spyOn(globalThis, 'setTimeout')
  const feed = new ChangeFeed(clock, new Journal().requests)
  let batchArrived: () => void = () => undefined
  const nextBatch = () => new Promise<void>((resolve) => (batchArrived = resolve))
  const leave = feed.watch(() => batchArrived())
  try {
    const first = nextBatch()
    feed.noteCall('call-1')
    await first
    // Right after a batch: this change waits for the rest of the gap, a fraction of a ms too.
    const second = nextBatch()
    feed.noteCall('call-2')
    await second
    const delays = armed.mock.calls.map(([, delay]) => delay)
    expect(delays.some((delay) => delay !== undefined && delay > 0)).toBe(true)
    expect(delays.filter((delay) => !Number.isInteger(delay))).toEqual([])
  } finally {
    leave()
    armed.mockRestore()
  }
})
