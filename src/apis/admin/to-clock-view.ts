import type { ClockStatus } from './control.js'

/** The control API's view of the clock: times as ISO 8601 (ClockStatus in the spec). */
export const toClockView = ({ nextDueAt, ...status }: ClockStatus & { fired?: number }) => ({
  ...status,
  now: new Date(status.now).toISOString(),
  ...(nextDueAt === undefined ? {} : { nextDueAt: new Date(nextDueAt).toISOString() }),
})
