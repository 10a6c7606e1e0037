/**
 * When, in a replay, each recorded request is sent and each status the far end reported
 * happens, on a grid of `roundToMs`.
 *
 * Rounding alone would break a replay: a poll that saw Ringing at 1.02 s and one that saw
 * Connected at 1.04 s both round to 1.0 s, and the replay could not tell them apart. So the
 * requests keep their order, a status change is placed strictly between the last request that
 * saw the old state and the first that saw the new one (half a grid step from each, so that a
 * replay in real time does not race the timer), and requests are pushed later where a change
 * needs room. On a virtual clock any such placement replays exactly; in real time it leaves
 * half a grid step of slack on either side.
 */

/** A status change the far end made, first observed `observedMs` after the call was created. */
export interface ObservedChange {
  readonly observedMs: number
}

export interface ReplayTimes {
  /** When each request is sent, in ms from the call's creation, in the order given. */
  readonly requests: readonly number[]
  /** When each change happens, in ms from the call's creation, in the order given. */
  readonly changes: readonly number[]
}

/** The first request, after the creating one, that came at or after the change was seen; -1 if none. */
function firstAfter(requestMs: readonly number[], change: ObservedChange): number {
  return requestMs.findIndex((ms, index) => index > 0 && ms >= change.observedMs)
}

function roundTo(ms: number, grid: number): number {
  return Math.max(0, Math.round(ms / grid) * grid)
}

/**
 * `requestMs`: when each request of the call arrived, from the call's creation (the creating
 * request is 0), ascending. `changes`: ascending by `observedMs`.
 */
export function placeOnReplayGrid(
  requestMs: readonly number[],
  changes: readonly ObservedChange[],
  roundToMs: number,
): ReplayTimes {
  const grid = Math.max(1, roundToMs)
  const requests: number[] = []
  for (const ms of requestMs) requests.push(Math.max(roundTo(ms, grid), requests.at(-1) ?? 0))

  // Make room: between the last request before a change and the first after it, a full grid step.
  for (const change of changes) {
    const after = firstAfter(requestMs, change)
    if (after <= 0) continue
    const gap = (requests[after] as number) - (requests[after - 1] as number)
    if (gap >= grid) continue
    for (let i = after; i < requests.length; i += 1)
      requests[i] = (requests[i] as number) + grid - gap
  }

  const placed: number[] = []
  for (const change of changes) {
    const after = firstAfter(requestMs, change)
    const before = after === -1 ? requests.length - 1 : after - 1
    const earliest = before >= 0 ? (requests[before] as number) + grid / 2 : grid / 2
    const latest = after === -1 ? Infinity : (requests[after] as number) - grid / 2
    const wanted = roundTo(change.observedMs, grid)
    const at = Math.min(Math.max(wanted, earliest), latest)
    placed.push(Math.max(at, placed.at(-1) ?? 0))
  }
  return { requests, changes: placed }
}
