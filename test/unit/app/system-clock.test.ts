import { afterEach, expect, test, vi } from 'vitest'
import { SystemClock } from '../../../src/app/system-clock.js'
import { runClockSuite } from '../../shared/clock.case.js'

// The simulator itself never uses fake timers (docs/decisions/001-virtual-clock.md); here they
// stand in for the OS, so the real-time adapter runs the shared clock suite without sleeping.
runClockSuite('SystemClock (fake OS timers)', () => {
  vi.useFakeTimers({ now: Date.UTC(2025, 0, 1) })
  const clock = new SystemClock()
  return {
    clock,
    advance: (ms) => vi.advanceTimersByTime(ms),
    dispose: () => {
      clock.stop()
      vi.useRealTimers()
    },
  }
})

afterEach(() => {
  vi.useRealTimers()
})

test('keeps one OS timer, armed for the earliest task, however many tasks wait', () => {
  vi.useFakeTimers({ now: 0 })
  const clock = new SystemClock()
  for (let i = 0; i < 1000; i += 1) clock.schedule(10_000 - i, () => undefined)
  expect(vi.getTimerCount()).toBe(1)
  vi.advanceTimersByTime(9_001)
  expect(clock.pending()).toBe(999)
  expect(vi.getTimerCount()).toBe(1)
  vi.advanceTimersByTime(999)
  expect(clock.pending()).toBe(0)
  expect(vi.getTimerCount()).toBe(0)
  clock.stop()
})

test('never runs queued tasks after stop()', () => {
  vi.useFakeTimers({ now: 0 })
  const clock = new SystemClock()
  let fired = false
  clock.schedule(100, () => {
    fired = true
  })
  clock.stop()
  vi.advanceTimersByTime(1000)
  expect(fired).toBe(false)
  expect(clock.pending()).toBe(0)
  expect(vi.getTimerCount()).toBe(0)
})

test('reads the real time of the machine', () => {
  const clock = new SystemClock()
  const before = Date.now()
  const now = clock.now()
  expect(now).toBeGreaterThanOrEqual(before)
  expect(now).toBeLessThanOrEqual(Date.now())
})
