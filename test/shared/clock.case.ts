import { afterEach, describe, expect, test } from 'vitest'
import type { Clock } from '../../src/core/index.js'

/** One clock under test and the way its time moves forward. */
export interface ClockFixture {
  readonly clock: Clock
  /** Lets `ms` of the clock's time pass and runs whatever falls due on the way. */
  advance(ms: number): void
  dispose(): void
}

/**
 * The behaviour every Clock must share, run against each implementation (the virtual clock,
 * and the system clock under fake timers), as hono runs one router suite against every router.
 */
export function runClockSuite(name: string, createFixture: () => ClockFixture): void {
  describe(`Clock contract: ${name}`, () => {
    let fixture: ClockFixture | undefined
    const setup = (): ClockFixture => {
      fixture = createFixture()
      return fixture
    }
    afterEach(() => {
      fixture?.dispose()
      fixture = undefined
    })

    test('moves now() forward by the time that passes', () => {
      const { clock, advance } = setup()
      const start = clock.now()
      advance(1500)
      expect(clock.now()).toBe(start + 1500)
    })

    test('runs a task when its time comes, not before, and shows it its own due time', () => {
      const { clock, advance } = setup()
      const at = clock.now() + 300
      const seen: number[] = []
      clock.schedule(at, () => seen.push(clock.now()))
      advance(299)
      expect(seen).toEqual([])
      advance(1)
      expect(seen).toEqual([at])
    })

    test('runs tasks in time order, and tasks due together in scheduling order', () => {
      const { clock, advance } = setup()
      const start = clock.now()
      const fired: string[] = []
      clock.schedule(start + 200, () => fired.push('late'))
      clock.schedule(start + 100, () => fired.push('early-1'))
      clock.schedule(start + 100, () => fired.push('early-2'))
      advance(1000)
      expect(fired).toEqual(['early-1', 'early-2', 'late'])
    })

    test('never runs a cancelled task', () => {
      const { clock, advance } = setup()
      const fired: string[] = []
      const id = clock.schedule(clock.now() + 100, () => fired.push('cancelled'))
      clock.schedule(clock.now() + 200, () => fired.push('kept'))
      clock.cancel(id)
      advance(1000)
      expect(fired).toEqual(['kept'])
    })

    test('counts pending tasks until they run or are cancelled', () => {
      const { clock, advance } = setup()
      const a = clock.schedule(clock.now() + 100, () => undefined)
      clock.schedule(clock.now() + 200, () => undefined)
      expect(clock.pending()).toBe(2)
      clock.cancel(a)
      expect(clock.pending()).toBe(1)
      advance(200)
      expect(clock.pending()).toBe(0)
    })

    test('runs, within the same stretch of time, a task that a task scheduled', () => {
      // This is how lifecycles chain their steps: each step schedules the next one.
      const { clock, advance } = setup()
      const start = clock.now()
      const fired: number[] = []
      clock.schedule(start + 100, () => {
        fired.push(clock.now() - start)
        clock.schedule(clock.now() + 100, () => fired.push(clock.now() - start))
      })
      advance(250)
      expect(fired).toEqual([100, 200])
    })

    test('runs a task scheduled in the past at the present moment', () => {
      const { clock, advance } = setup()
      advance(1000)
      const now = clock.now()
      const seen: number[] = []
      clock.schedule(now - 500, () => seen.push(clock.now()))
      advance(0)
      expect(seen).toEqual([now])
    })
  })
}
