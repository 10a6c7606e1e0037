import { QueuedClock, type Timer } from '../core/index.js'

/**
 * Real time. All tasks share one heap and one OS timer armed for the earliest of them, so a
 * hundred thousand ringing calls cost one setTimeout, not a hundred thousand.
 */
export class SystemClock extends QueuedClock {
  readonly kind = 'system'
  private alarm: NodeJS.Timeout | undefined
  private alarmAt = Number.POSITIVE_INFINITY

  now(): number {
    return Date.now()
  }

  override arm(at: number, timer: Timer): void {
    super.arm(at, timer)
    if (at < this.alarmAt) this.setAlarm()
  }

  /** Stops the OS timer, e.g. when the server closes; queued tasks never run. */
  stop(): void {
    if (this.alarm) clearTimeout(this.alarm)
    this.alarm = undefined
    this.alarmAt = Number.POSITIVE_INFINITY
    this.timers.clear()
  }

  private setAlarm(): void {
    if (this.alarm) clearTimeout(this.alarm)
    this.alarm = undefined
    const next = this.timers.nextAt()
    this.alarmAt = next ?? Number.POSITIVE_INFINITY
    if (next === undefined) return
    // setTimeout takes at most 2^31-1 ms; a later alarm simply re-arms when it fires. Whole
    // milliseconds, as in ChangeFeed.arm: a scenario may name a fractional latency.
    const delay = Math.min(Math.max(Math.ceil(next - Date.now()), 0), 2_147_483_647)
    this.alarm = setTimeout(() => this.fire(), delay)
    this.alarm.unref()
  }

  private fire(): void {
    this.alarm = undefined
    // Timers the due tasks arm while they run wait for the one alarm set after the loop,
    // rather than each replacing the OS timer.
    this.alarmAt = Number.NEGATIVE_INFINITY
    try {
      this.fireDue(Date.now())
    } finally {
      this.setAlarm()
    }
  }
}
