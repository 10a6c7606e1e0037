/**
 * Due tasks, earliest first. Both clocks keep their timers here so that the number of calls
 * never turns into a number of OS timers or polling loops: one queue, one alarm.
 *
 * Tasks are grouped by due time: a min-heap holds each distinct time once, and a bucket per
 * time holds its tasks in the order they were scheduled (which is how ties fire, keeping
 * lifecycles deterministic). Calls placed together on a virtual clock share their due times,
 * so a clock step over 100k ringing calls is mostly array walks, not heap operations.
 */
/** The handle of a scheduled task: the queue's own entry, so cancelling needs no lookup table. */
export interface TimerId {
  readonly at: number
}

interface Entry extends TimerId {
  /** Undefined once the task was taken or cancelled; such an entry is skipped when its bucket is walked. */
  task: (() => void) | undefined
}

interface Bucket {
  readonly entries: Entry[]
  /** Entries before this index have been handed out or skipped. */
  next: number
}

export class TimerQueue {
  /** Distinct due times with a bucket, as a binary min-heap of numbers. */
  private readonly times: number[] = []
  private readonly buckets = new Map<number, Bucket>()
  private live = 0
  /** What takeDue hands out, reused: a clock step over 100k tasks allocates nothing per task. */
  private readonly taken = { at: 0, task: (): void => undefined }
  // Time keys are epoch milliseconds, too large for V8's small integers, so Map lookups on
  // them are slow; successive adds and takes mostly hit the same bucket, so remember it.
  private lastAddAt = Number.NaN
  private lastAddBucket: Bucket | undefined
  private headBucket: Bucket | undefined

  get size(): number {
    return this.live
  }

  add(at: number, task: () => void): TimerId {
    const entry: Entry = { at, task }
    this.live += 1
    let bucket = at === this.lastAddAt ? this.lastAddBucket : this.buckets.get(at)
    if (bucket) {
      bucket.entries.push(entry)
    } else {
      bucket = { entries: [entry], next: 0 }
      this.buckets.set(at, bucket)
      this.pushTime(at)
    }
    this.lastAddAt = at
    this.lastAddBucket = bucket
    return entry
  }

  /** Cancelled entries stay in their bucket until it is walked; removal from it would cost O(n). */
  remove(id: TimerId): void {
    const entry = id as Entry
    if (entry.task === undefined) return
    entry.task = undefined
    this.live -= 1
  }

  nextAt(): number | undefined {
    return this.head()?.at
  }

  /**
   * Removes and returns the earliest task due at or before `now`, if any. The returned object
   * is reused by the next call: read it before taking another.
   */
  takeDue(now: number): { readonly at: number; readonly task: () => void } | undefined {
    const entry = this.head()
    if (entry === undefined || entry.at > now) return undefined
    ;(this.headBucket as Bucket).next += 1
    this.taken.at = entry.at
    this.taken.task = entry.task as () => void
    entry.task = undefined
    this.live -= 1
    return this.taken
  }

  clear(): void {
    // Handles still held elsewhere must not count as live when cancelled later.
    for (const bucket of this.buckets.values()) for (const entry of bucket.entries) entry.task = undefined
    this.times.length = 0
    this.buckets.clear()
    this.live = 0
    this.forgetBuckets()
  }

  /** The earliest live entry, dropping cancelled entries and spent buckets on the way. */
  private head(): Entry | undefined {
    for (;;) {
      const at = this.times[0]
      if (at === undefined) return undefined
      this.headBucket ??= this.buckets.get(at) as Bucket
      const bucket = this.headBucket
      const { entries } = bucket
      while (bucket.next < entries.length) {
        const entry = entries[bucket.next] as Entry
        if (entry.task !== undefined) return entry
        bucket.next += 1
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
      const smaller = right < times.length && (times[right] as number) < (times[left] as number) ? right : left
      if ((times[smaller] as number) >= last) break
      times[parent] = times[smaller] as number
      parent = smaller
    }
    times[parent] = last
  }
}
