import { CallbackTimer, TimerQueue, type Timer, type TimerId } from './timer-queue.js'

export type { Timer, TimerId }

/**
 * Time as the network sees it. The core never reads the system time or starts a timer itself:
 * the composition root hands it either a system clock or a virtual one.
 */
export interface Clock {
  readonly kind: 'system' | 'virtual'
  /** Milliseconds since the Unix epoch. */
  now(): number
  /** Runs `task` once the clock reaches `at` (epoch ms). */
  schedule(at: number, task: () => void): TimerId
  /** Schedules a timer object the caller keeps and re-arms, so that scheduling allocates nothing. */
  arm(at: number, timer: Timer): void
  cancel(id: TimerId): void
  /** How many tasks are waiting. */
  pending(): number
}

/** 2025-01-01T00:00:00Z: a fixed start so that seeded runs print identical timestamps. */
export const DEFAULT_VIRTUAL_EPOCH_MS = Date.UTC(2025, 0, 1)

/**
 * 9000-01-01T00:00:00Z: a virtual clock goes no further. Every timestamp callsim derives from
 * the clock (a call's expiry, a token's, a scheduled Click2Call call) stays within the four-digit
 * years an RFC 3339 date-time can write, with a thousand years to spare.
 */
export const LATEST_VIRTUAL_MS = Date.UTC(9000, 0, 1)

/**
 * What both clocks share: their tasks wait in one TimerQueue, earliest first. A clock adds how
 * it reads the time and when it fires what is due (virtual: when told; system: on an OS alarm).
 */
export abstract class QueuedClock implements Clock {
  abstract readonly kind: Clock['kind']
  protected readonly timers = new TimerQueue()

  abstract now(): number

  schedule(at: number, task: () => void): TimerId {
    const timer = new CallbackTimer(task)
    this.arm(at, timer)
    return timer
  }

  arm(at: number, timer: Timer): void {
    this.timers.add(at, timer)
  }

  cancel(id: TimerId): void {
    this.timers.remove(id)
  }

  pending(): number {
    return this.timers.size
  }

  /** When the earliest pending task falls due, if any: the next step worth advancing to. */
  nextDueAt(): number | undefined {
    return this.timers.nextAt()
  }

  /**
   * Fires every task due at or before `until`, in time order (ties in the order they were
   * scheduled), telling `reached` each one's due time first; returns how many fired.
   */
  protected fireDue(until: number, reached: (at: number) => void = () => {}): number {
    let fired = 0
    for (let due = this.timers.takeDue(until); due; due = this.timers.takeDue(until)) {
      reached(due.at)
      due.timer.fire()
      fired += 1
    }
    return fired
  }
}

/**
 * A clock that moves only when told. Advancing it fires every due task in time order, each
 * seeing `now()` equal to its own due time, so a 30 s lifecycle runs in microseconds.
 */
export class VirtualClock extends QueuedClock {
  readonly kind = 'virtual'
  private current: number

  constructor(startMs: number = DEFAULT_VIRTUAL_EPOCH_MS) {
    super()
    this.current = startMs
  }

  now(): number {
    return this.current
  }

  /** Moves time forward by `ms` and returns how many tasks fired. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0 || this.current + ms > LATEST_VIRTUAL_MS)
      throw new RangeError(`cannot advance by ${ms} ms`)
    const target = this.current + ms
    const fired = this.fireDue(target, (at) => {
      // Tasks scheduled in the past (a zero delay) run at the present moment, never earlier.
      this.current = Math.max(this.current, at)
    })
    this.current = target
    return fired
  }

  /** Fires what is due now without moving time: zero-delay steps. */
  runDue(): number {
    return this.advance(0)
  }

  reset(startMs: number): void {
    this.timers.clear()
    this.current = startMs
  }
}
