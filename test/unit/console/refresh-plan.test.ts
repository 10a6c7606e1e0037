import { expect, test } from 'vitest'
import { planRefresh, type PageView } from '../../../src/console/page/refresh-plan.js'
import type { ChangeBatch } from '../../../src/console/page/types.js'

const QUIET: ChangeBatch = {
  calls: [],
  moreCalls: false,
  createdOrExpired: false,
  ladders: [],
  moreLadders: false,
  journal: false,
  deliveries: false,
  scenarios: false,
  reset: false,
  clock: { kind: 'system', now: '2026-01-01T00:00:00.000Z', pendingTasks: 0 },
}
/** The calls view on the newest page (calls a and b), with call a's ladder open. */
const ON_CALL_A: PageView = {
  selectedCall: 'call-a',
  visibleCalls: ['call-a', 'call-b'],
  filtered: false,
  journalVisible: false,
}

test('re-reads the open ladder when its call changed or gained a request or a delivery', () => {
  expect(planRefresh({ ...QUIET, calls: ['call-a'] }, ON_CALL_A)).toMatchObject({
    calls: true,
    ladder: true,
  })
  expect(planRefresh({ ...QUIET, ladders: ['call-a'], journal: true }, ON_CALL_A)).toEqual({
    calls: false,
    ladder: true,
    journal: false,
    scenarios: false,
  })
})

test('leaves the ladder alone while other calls are polled, and the list while calls off its page change', () => {
  const busy = { ...QUIET, ladders: ['call-b', 'call-c'], journal: true, deliveries: true }
  expect(planRefresh(busy, ON_CALL_A)).toMatchObject({ calls: false, ladder: false })
  expect(planRefresh({ ...busy, calls: ['call-c'] }, ON_CALL_A)).toMatchObject({
    calls: false,
    ladder: false,
  })
  expect(planRefresh({ ...busy, calls: ['call-b'] }, ON_CALL_A)).toMatchObject({
    calls: true,
    ladder: false,
  })
})

test('takes the word of a stream opened for the open call, even when a batch could not list every call', () => {
  const busy = { ...QUIET, moreCalls: true, moreLadders: true, createdOrExpired: true }
  expect(planRefresh({ ...busy, callChanged: false }, ON_CALL_A)).toMatchObject({
    calls: true,
    ladder: false,
  })
  expect(planRefresh({ ...QUIET, callChanged: true }, ON_CALL_A).ladder).toBe(true)
  expect(planRefresh({ ...QUIET, callChanged: false, reset: true }, ON_CALL_A).ladder).toBe(true)
})

test('re-reads the list when a call came or went, or any call changed under a filter', () => {
  const elsewhere = { ...QUIET, calls: ['call-c'] }
  expect(planRefresh({ ...elsewhere, createdOrExpired: true }, ON_CALL_A).calls).toBe(true)
  expect(planRefresh(elsewhere, { ...ON_CALL_A, filtered: true }).calls).toBe(true)
})

test('re-reads what a batch could not list, and everything after a reset', () => {
  expect(planRefresh({ ...QUIET, moreLadders: true }, ON_CALL_A).ladder).toBe(true)
  expect(planRefresh({ ...QUIET, moreCalls: true }, ON_CALL_A)).toMatchObject({
    calls: true,
    ladder: true,
  })
  expect(planRefresh({ ...QUIET, reset: true }, { ...ON_CALL_A, journalVisible: true })).toEqual({
    calls: true,
    ladder: true,
    journal: true,
    scenarios: true,
  })
})

test('reads no ladder without an open call, and the journal only while it is on screen', () => {
  const batch = { ...QUIET, calls: ['call-a'], journal: true }
  const noLadder = { ...ON_CALL_A, selectedCall: undefined }
  expect(planRefresh(batch, noLadder)).toEqual({
    calls: true,
    ladder: false,
    journal: false,
    scenarios: false,
  })
  expect(planRefresh(batch, { ...noLadder, journalVisible: true }).journal).toBe(true)
})
