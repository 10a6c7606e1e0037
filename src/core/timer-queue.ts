/**
 * Due tasks, earliest first. Both clocks keep their timers here so that the number of calls
 * never turns into a number of OS timers or polling loops: one queue, one alarm.
 *
 * Tasks are grouped by due time: a min-heap holds each distinct time once, and a bucket per
 * time holds its tasks in the order they were scheduled (which is how ties fire, keeping
 * lifecycles deterministic). Calls placed together on a virtual clock share their due times,
 * so a clock step over 100k ringing calls is mostly array walks, not heap operations.
 */
/**
 * Something the queue runs when its time comes. The queue writes `timerTicket`: which
 * scheduling of this timer is live, 0 when none. Because the ticket lives on the timer, the
 * queue needs no entry object per scheduling, and one timer object can be scheduled again and
 * again: a call's single timer serves every step of its lifecycle and then its expiry.
 */
export interface Timer {
  timerTicket: number
  fire(): void
}

/** The handle of a scheduled task: the timer itself, so cancelling needs no lookup table. */
export type TimerId = Timer

/** A timer for a one-off callback. */
export class CallbackTimer implements Timer {
  timerTicket = 0

  constructor(private readonly task: () => void) {}

  fire(): void {
    this.task()
  }
}

interface Bucket {
  /** Pairs of [timer, ticket]; a pair whose ticket the timer no longer holds was cancelled or rescheduled. */
  readonly slots: (Timer | number)[]
  /** Slots before this index have been handed out or skipped. */
  next: number
}

export class TimerQueue {
  /** Distinct due times with a bucket, as a binary min-heap of numbers. */
  private readonly times: number[] = []
  private readonly buckets = new Map<number, Bucket>()
  private live = 0
  private lastTicket = 0
  /** What takeDue hands out, reused: a clock step over 100k tasks allocates nothing per task. */
  private readonly taken: { at: number; timer: Timer } = {
    at: 0,
    timer: new CallbackTimer(() => undefined),
  }
  // Time keys are epoch milliseconds, too large for V8's small integers, so Map lookups on
  // them are slow; successive adds and takes mostly hit the same bucket, so remember it.
  private lastAddAt = Number.NaN
  private lastAddBucket: Bucket | undefined
  private headBucket: Bucket | undefined

  get size(): number {
    return this.live
  }

  /** Schedules `timer` for `at`; a timer already pending is moved there. */
  add(at: number, timer: Timer): void {
    if (timer.timerTicket === 0) this.live += 1
    this.lastTicket += 1
    const ticket = this.lastTicket
    timer.timerTicket = ticket
    let bucket = at === this.lastAddAt ? this.lastAddBucket : this.buckets.get(at)
    if (bucket) {
      bucket.slots.push(timer, ticket)
    } else {
      bucket = { slots: [timer, ticket], next: 0 }
      this.buckets.set(at, bucket)
      this.pushTime(at)
    }
    this.lastAddAt = at
    this.lastAddBucket = bucket
  }

  /** Cancelled slots stay in their bucket until it is walked; removal from it would cost O(n). */
  remove(timer: Timer): void {
    if (timer.timerTicket === 0) return
    timer.timerTicket = 0
    this.live -= 1
  }

  nextAt(): number | undefined {
    return this.head()
  }

  /**
   * Removes and returns the earliest timer due at or before `now`, if any, with its due time.
   * The returned object is reused by the next call: read it before taking another.
   */
  takeDue(now: number): { readonly at: number; readonly timer: Timer } | undefined {
    const at = this.head()
    if (at === undefined || at > now) return undefined
    const bucket = this.headBucket as Bucket
    const timer = bucket.slots[bucket.next] as Timer
    bucket.next += 2
    // Cleared before it fires, so that the timer can schedule itself again.
    timer.timerTicket = 0
    this.live -= 1
    this.taken.at = at
    this.taken.timer = timer
    return this.taken
  }

  clear(): void {
    // Handles still held elsewhere must not count as live when cancelled later.
    for (const bucket of this.buckets.values()) {
      for (let slot = bucket.next; slot < bucket.slots.length; slot += 2) {
        const timer = bucket.slots[slot] as Timer
        if (timer.timerTicket === bucket.slots[slot + 1]) timer.timerTicket = 0
      }
    }
    this.times.length = 0
    this.buckets.clear()
    this.live = 0
    this.forgetBuckets()
  }

  /** The due time of the earliest live timer, dropping cancelled slots and spent buckets on the way. */
  private head(): number | undefined {
    for (;;) {
      const at = this.times[0]
      if (at === undefined) return undefined
      this.headBucket ??= this.buckets.get(at) as Bucket
      const bucket = this.headBucket
      const { slots } = bucket
      while (bucket.next < slots.length) {
        if ((slots[bucket.next] as Timer).timerTicket === slots[bucket.next + 1]) return at
        bucket.next += 2
      }
      this.buckets.delete(at)
      this.forgetBuckets()
      this.popTime()
    }
  }

  private forgetBuckets(): void {
    this.lastAddAt = Number.NaN
    this.lastAddBucket = undefined
    this.headBucket = undefined
  }

  private pushTime(at: number): void {
    const times = this.times
    let child = times.length
    // A new earliest time changes which bucket is at the head.
    if (child > 0 && at < (times[0] as number)) this.headBucket = undefined
    times.push(at)
    while (child > 0) {
      const parent = (child - 1) >> 1
      const above = times[parent] as number
      if (above <= at) break
      times[child] = above
      child = parent
    }
    times[child] = at
  }

  private popTime(): void {
    const times = this.times
    const last = times.pop()
    if (last === undefined || times.length === 0) return
    let parent = 0
    for (;;) {
      const left = parent * 2 + 1
      if (left >= times.length) break
      const right = left + 1
      const smaller =
        right < times.length && (times[right] as number) < (times[left] as number) ? right : left
      if ((times[smaller] as number) >= last) break
      times[parent] = times[smaller] as number
      parent = smaller
    }
    times[parent] = last
  }
}
