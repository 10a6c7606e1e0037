import type { Clock, TimerId } from './clock.js'

/**
 * At most one pending end per id, on the network's clock: when a registration expires, or when
 * a subscription expires or its sink token does. Setting a new time replaces the old one, and
 * an ended item's timer is cancelled, so no task outlives what it ends.
 */
export class ExpiryTimers {
  private readonly timers = new Map<string, TimerId>()

  constructor(private readonly clock: Clock) {}

  /** Runs `end` for `id` at `at` (epoch ms) instead of any end set before; never when `at` is infinite. */
  set(id: string, at: number, end: () => void): void {
    this.cancel(id)
    if (at === Number.POSITIVE_INFINITY) return
    const timer = this.clock.schedule(at, () => {
      this.timers.delete(id)
      end()
    })
    this.timers.set(id, timer)
  }

  cancel(id: string): void {
    const timer = this.timers.get(id)
    if (timer !== undefined) this.clock.cancel(timer)
    this.timers.delete(id)
  }

  clear(): void {
    for (const timer of this.timers.values()) this.clock.cancel(timer)
    this.timers.clear()
  }
}
