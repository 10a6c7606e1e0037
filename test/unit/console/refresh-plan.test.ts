import { expect, test } from 'vitest'
import { planRefresh } from '../../../src/console/page/refresh-plan.js'
import type { ChangeBatch } from '../../../src/console/page/types.js'

const QUIET: ChangeBatch = {
  calls: [],
  moreCalls: false,
  ladders: [],
  moreLadders: false,
  journal: false,
  deliveries: false,
  scenarios: false,
  reset: false,
  clock: { kind: 'system', now: '2026-01-01T00:00:00.000Z', pendingTasks: 0 },
}
const ON_CALL_A = { selectedCall: 'call-a', journalVisible: false }

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

test('leaves the ladder alone while other calls are polled, and reads only the calls page when others change', () => {
  const busy = { ...QUIET, ladders: ['call-b', 'call-c'], journal: true, deliveries: true }
  expect(planRefresh(busy, ON_CALL_A).ladder).toBe(false)
  expect(planRefresh({ ...busy, calls: ['call-b'] }, ON_CALL_A)).toMatchObject({
    calls: true,
    ladder: false,
  })
})

test('re-reads the ladder when a batch could not list every call, and everything after a reset', () => {
  expect(planRefresh({ ...QUIET, moreLadders: true }, ON_CALL_A).ladder).toBe(true)
  expect(planRefresh({ ...QUIET, moreCalls: true }, ON_CALL_A)).toMatchObject({
    calls: true,
    ladder: true,
  })
  const reset = { ...QUIET, reset: true }
  expect(planRefresh(reset, { selectedCall: 'call-a', journalVisible: true })).toEqual({
    calls: true,
    ladder: true,
    journal: true,
    scenarios: true,
  })
})

test('reads no ladder without an open call, and the journal only while it is on screen', () => {
  const batch = { ...QUIET, calls: ['call-a'], journal: true }
  expect(planRefresh(batch, { selectedCall: undefined, journalVisible: false })).toEqual({
    calls: true,
    ladder: false,
    journal: false,
    scenarios: false,
  })
  expect(planRefresh(batch, { selectedCall: undefined, journalVisible: true }).journal).toBe(true)
})
