import { expect, test } from 'vitest'
import { DEFAULT_VIRTUAL_EPOCH_MS, VirtualClock } from '../../../src/core/index.js'
import { runClockSuite } from '../../shared/clock.case.js'

runClockSuite('VirtualClock', () => {
  const clock = new VirtualClock()
  return { clock, advance: (ms) => clock.advance(ms), dispose: () => undefined }
})

test('starts at 2025-01-01T00:00:00Z, so seeded runs print the same timestamps', () => {
  expect(new Date(new VirtualClock().now()).toISOString()).toBe('2025-01-01T00:00:00.000Z')
  expect(new VirtualClock(DEFAULT_VIRTUAL_EPOCH_MS + 5).now()).toBe(DEFAULT_VIRTUAL_EPOCH_MS + 5)
})

test('reports how many tasks an advance fired', () => {
  const clock = new VirtualClock()
  clock.schedule(clock.now() + 10, () => undefined)
  clock.schedule(clock.now() + 20, () => undefined)
  clock.schedule(clock.now() + 30, () => undefined)
  expect(clock.advance(25)).toBe(2)
  expect(clock.runDue()).toBe(0)
  expect(clock.advance(5)).toBe(1)
})

test('refuses to move backwards or by a non-number', () => {
  const clock = new VirtualClock()
  expect(() => clock.advance(-1)).toThrow(RangeError)
  expect(() => clock.advance(Number.NaN)).toThrow('cannot advance by NaN ms')
  expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  expect(clock.now()).toBe(DEFAULT_VIRTUAL_EPOCH_MS)
})

test('forgets its tasks and jumps to the given time on reset', () => {
  const clock = new VirtualClock()
  let fired = false
  clock.schedule(clock.now() + 10, () => {
    fired = true
  })
  clock.reset(0)
  expect(clock.now()).toBe(0)
  expect(clock.pending()).toBe(0)
  clock.advance(DEFAULT_VIRTUAL_EPOCH_MS + 100)
  expect(fired).toBe(false)
})

test('does not move when nothing is due, and never fires in real time', () => {
  const clock = new VirtualClock()
  let fired = false
  clock.schedule(clock.now(), () => {
    fired = true
  })
  // Scheduling alone runs nothing: only advance() or runDue() moves a virtual clock.
  expect(fired).toBe(false)
  expect(clock.runDue()).toBe(1)
  expect(fired).toBe(true)
  expect(clock.now()).toBe(DEFAULT_VIRTUAL_EPOCH_MS)
})
