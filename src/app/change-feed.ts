import { MAX_BATCH_CALLS, type ChangeBatch, type ClockStatus } from '../apis/index.js'

/**
 * The shortest time between two batches. The first change after a quiet spell goes out at
 * once (after the task that made it, so a clock step's changes travel together); under load
 * batches are this far apart, which bounds what a watcher costs to 33 batches a second however
 * many requests arrive, and leaves most of the console's 200 ms for its re-reads.
 */
export const CHANGE_BATCH_DELAY_MS = 30

type Listener = (batch: ChangeBatch) => void

/**
 * Collects what changed in the simulator (domain events, journal entries, deliveries, control
 * actions) into batches for its watchers. Without a watcher every note returns at once, so the
 * request path pays one comparison for it.
 */
export class ChangeFeed {
  private readonly listeners = new Set<Listener>()
  private readonly calls = new Set<string>()
  private moreCalls = false
  private journal = false
  private deliveries = false
  private scenarios = false
  private reset = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private lastFlushAt = Number.NEGATIVE_INFINITY

  constructor(private readonly clock: () => ClockStatus) {}

  watch(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.stop()
    }
  }

  noteCall(id: string): void {
    if (this.listeners.size === 0) return
    if (this.calls.size < MAX_BATCH_CALLS) this.calls.add(id)
    else if (!this.calls.has(id)) this.moreCalls = true
    this.arm()
  }

  noteJournal(): void {
    if (this.listeners.size === 0 || this.journal) return
    this.journal = true
    this.arm()
  }

  noteDelivery(): void {
    if (this.listeners.size === 0 || this.deliveries) return
    this.deliveries = true
    this.arm()
  }

  noteScenarios(): void {
    if (this.listeners.size === 0) return
    this.scenarios = true
    this.arm()
  }

  noteReset(): void {
    if (this.listeners.size === 0) return
    this.reset = true
    this.arm()
  }

  /** The clock moved (a virtual clock advanced): the batch carries its status anyway. */
  noteClock(): void {
    if (this.listeners.size === 0) return
    this.arm()
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.calls.clear()
    this.moreCalls = this.journal = this.deliveries = this.scenarios = this.reset = false
  }

  private arm(): void {
    if (this.timer !== undefined) return
    const wait = Math.max(0, this.lastFlushAt + CHANGE_BATCH_DELAY_MS - performance.now())
    this.timer = setTimeout(() => this.flush(), wait)
    // A pending batch must not keep a stopping process alive.
    this.timer.unref()
  }

  private flush(): void {
    this.timer = undefined
    this.lastFlushAt = performance.now()
    const batch: ChangeBatch = {
      calls: [...this.calls],
      moreCalls: this.moreCalls,
      journal: this.journal,
      deliveries: this.deliveries,
      scenarios: this.scenarios,
      reset: this.reset,
      clock: this.clock(),
    }
    this.stop()
    for (const listener of this.listeners) listener(batch)
  }
}
