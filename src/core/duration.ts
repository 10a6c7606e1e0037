import { err, ok, type Result } from './result.js'

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/**
 * Reads a duration as users write it in scenarios, flags and the admin API: `250ms`, `5s`,
 * `1.5m`, `2h`, or a bare number of milliseconds.
 */
export function parseDuration(value: unknown): Result<number, string> {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0
      ? ok(value)
      : err(`${value} is not a duration: use a non-negative number of milliseconds`)
  }
  if (typeof value !== 'string')
    return err('a duration must be a string such as "5s" or a number of milliseconds')
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value)
  if (!match) return err(`"${value}" is not a duration: write it like 250ms, 5s, 1.5m or 2h`)
  const amount = Number(match[1])
  return ok(Math.round(amount * (UNIT_MS[match[2] ?? 'ms'] ?? 1)))
}
