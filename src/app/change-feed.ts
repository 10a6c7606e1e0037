import { MAX_BATCH_CALLS, type ChangeBatch, type ClockStatus } from '../apis/index.js'

/**
 * The gap after the first batch of a burst of changes. The first change after a quiet spell goes
 * out at once (after the task that made it, so a clock step's changes travel together).
 */
export const CHANGE_BATCH_DELAY_MS = 30

/**
 * The widest gap between two batches. Under sustained change the gap doubles from
 * CHANGE_BATCH_DELAY_MS to this: a watcher then costs at most ~7 batches a second however many
 * requests arrive, and a change still reaches it within this, which leaves the console 50 ms of
 * its 200 ms promise for its re-reads.
 */
export const MAX_CHANGE_BATCH_DELAY_MS = 150

type Listener = (batch: ChangeBatch) => void

/**
 * The requests the journal recorded, numbered from 1 (the journal's RequestLog). A batch reads
 * which calls they were about when it goes out, a few times a second, so that with a console
 * open a request costs the feed one flag test instead of a Set and a Map lookup.
 */
export interface RecordedRequests {
  readonly total: number
  visitCallIdsAfter(afterSeq: number, visit: (callId: string) => void): void
}

/** Call ids for one batch, at most MAX_BATCH_CALLS of them, and whether more were left out. */
class CallIds {
  readonly ids = new Set<string>()
  more = false

  add(id: string): void {
    // Once the batch says "more", a load test's every further change costs one test.
    if (this.more) return
    if (this.ids.size < MAX_BATCH_CALLS) this.ids.add(id)
    else if (!this.ids.has(id)) this.more = true
  }

  clear(): void {
    this.ids.clear()
    this.more = false
  }
}

/**
 * Collects what changed in the simulator (domain events, journal entries, deliveries, control
 * actions) into batches for its watchers. Without a watcher every note returns at once, so the
 * request path pays one comparison for it.
 */
export class ChangeFeed {
  /** Each watcher, and the call it named, if any. */
  private readonly listeners = new Map<Listener, string | undefined>()
  /** The calls watchers named, each with how many named it. */
  private readonly watchedCalls = new Map<string, number>()
  /** The named calls that changed since the last batch. */
  private readonly changedWatchedCalls = new Set<string>()
  private readonly calls = new CallIds()
  private readonly ladders = new CallIds()
  private createdOrExpired = false
  private journal = false
  private deliveries = false
  private scenarios = false
  private reset = false
  private timer: ReturnType<typeof setTimeout> | undefined
  /** The journal's last request that a batch has accounted for. */
  private recordedUpTo = 0
  private lastFlushAt = Number.NEGATIVE_INFINITY
  /** The least time between the last batch and the next one. */
  private gap = CHANGE_BATCH_DELAY_MS

  constructor(
    private readonly clock: () => ClockStatus,
    private readonly recorded: RecordedRequests,
  ) {}

  /** `callId`: the call whose changes each batch reports to this watcher (`callChanged`). */
  watch(listener: Listener, callId?: string): () => void {
    // Requests recorded while nobody watched are no one's news.
    if (this.listeners.size === 0) this.recordedUpTo = this.recorded.total
    this.listeners.set(listener, callId)
    if (callId !== undefined)
      this.watchedCalls.set(callId, (this.watchedCalls.get(callId) ?? 0) + 1)
    return () => {
      if (!this.listeners.delete(listener)) return
      if (callId !== undefined) {
        const watchers = (this.watchedCalls.get(callId) ?? 1) - 1
        if (watchers > 0) this.watchedCalls.set(callId, watchers)
        else this.watchedCalls.delete(callId)
      }
      if (this.listeners.size === 0) this.stop()
    }
  }

  /** A call changed; `createdOrExpired` when it came or went, which moves pages and totals. */
  noteCall(id: string, createdOrExpired = false): void {
    if (this.listeners.size === 0) return
    this.calls.add(id)
    this.noteWatched(id)
    if (createdOrExpired) this.createdOrExpired = true
    this.arm()
  }

  /**
   * A request was recorded (not the control API's own) or a violation. Under load this runs on
   * every request, so it only raises a flag: the batch reads the journal for the calls.
   */
  noteJournal(): void {
    if (this.journal || this.listeners.size === 0) return
    this.journal = true
    this.arm()
  }

  /** An event delivery was attempted; `callId` names the call whose ladder shows it. */
  noteDelivery(callId?: string): void {
    if (this.listeners.size === 0) return
    if (callId !== undefined) {
      this.ladders.add(callId)
      this.noteWatched(callId)
    } else if (this.deliveries) return
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
    this.ladders.clear()
    this.changedWatchedCalls.clear()
    this.createdOrExpired = this.journal = this.deliveries = this.scenarios = this.reset = false
  }

  private noteWatched(id: string): void {
    if (this.watchedCalls.size > 0 && this.watchedCalls.has(id)) this.changedWatchedCalls.add(id)
  }

  private arm(): void {
    if (this.timer !== undefined) return
    const sinceLastFlush = performance.now() - this.lastFlushAt
    let wait = 0
    if (sinceLastFlush >= this.gap) {
      // Quiet for a whole gap: this change starts a new burst and goes out at once.
      this.gap = CHANGE_BATCH_DELAY_MS
    } else {
      wait = this.gap - sinceLastFlush
      this.gap = Math.min(MAX_CHANGE_BATCH_DELAY_MS, 2 * this.gap)
    }
    // Whole milliseconds: Node keeps a fractional delay as it is, which turns the delay field
    // of every Timeout (the sockets' idle timers too) from small integer to double, and every
    // function that touches a timer deoptimises and stays slower for the process's lifetime.
    this.timer = setTimeout(() => this.flush(), Math.ceil(wait))
    // A pending batch must not keep a stopping process alive.
    this.timer.unref()
  }

  /**
   * The calls whose ladders gained a request since the last batch, from the journal. A request
   * the journal no longer keeps is not on any ladder either, so none is missed that a ladder
   * could show.
   */
  private readRecordedCalls(): void {
    const total = this.recorded.total
    // The journal was cleared (a reset): count from its new start.
    if (total < this.recordedUpTo) this.recordedUpTo = 0
    if (this.journal)
      this.recorded.visitCallIdsAfter(this.recordedUpTo, (callId) => {
        this.ladders.add(callId)
        this.noteWatched(callId)
      })
    this.recordedUpTo = total
  }

  private flush(): void {
    this.timer = undefined
    this.lastFlushAt = performance.now()
    this.readRecordedCalls()
    const batch: ChangeBatch = {
      calls: [...this.calls.ids],
      moreCalls: this.calls.more,
      createdOrExpired: this.createdOrExpired,
      ladders: [...this.ladders.ids],
      moreLadders: this.ladders.more,
      journal: this.journal,
      deliveries: this.deliveries,
      scenarios: this.scenarios,
      reset: this.reset,
      clock: this.clock(),
    }
    const changedWatchedCalls = [...this.changedWatchedCalls]
    this.stop()
    for (const [listener, callId] of this.listeners) {
      if (callId === undefined) listener(batch)
      else listener({ ...batch, callChanged: changedWatchedCalls.includes(callId) })
    }
  }
}
