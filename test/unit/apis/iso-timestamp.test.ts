import { expect, test } from 'vitest'
import { toIsoTimestamp } from '../../../src/apis/iso-timestamp.js'

const asDateWritesIt = (ms: number): string => new Date(ms).toISOString()

test('writes the same text as Date for the edges of days, months, leap years and the format', () => {
  const edges = [
    0,
    1,
    999,
    59_999,
    86_399_999,
    86_400_000,
    Date.UTC(2000, 1, 29, 12, 0, 0, 7),
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2024, 2, 1),
    Date.UTC(2100, 1, 28, 23, 59, 59, 999),
    Date.UTC(2100, 2, 1),
    Date.UTC(2026, 11, 31, 23, 59, 59, 999),
    Date.UTC(2027, 0, 1),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
  ]
  for (const ms of edges) expect(toIsoTimestamp(ms)).toBe(asDateWritesIt(ms))
})

test('writes the same text as Date for times spread over the four-digit years, in any order', () => {
  // A fixed linear congruential sequence: the test is the same on every run. Mismatches are
  // collected and compared once: 40,000 expect() calls took seconds on a busy host.
  const mismatches: string[] = []
  const check = (ms: number) => {
    const written = toIsoTimestamp(ms)
    if (written !== asDateWritesIt(ms)) mismatches.push(`${ms}: ${written}`)
  }
  let state = 20_261_207
  for (let i = 0; i < 20_000; i += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    const ms = Math.floor((state / 2 ** 31) * Date.UTC(9999, 11, 31, 23, 59, 59, 999))
    check(ms)
    // Within the same day as the one before, as a page of sessions reads them.
    check(ms + 1234)
  }
  expect(mismatches).toEqual([])
})

test('writes neighbours in one day, one second and one millisecond as Date does', () => {
  const start = Date.UTC(2026, 11, 7, 5, 59, 59, 998)
  for (const ms of [start, start, start + 1, start + 2, start + 2, start + 1002, start - 1])
    expect(toIsoTimestamp(ms)).toBe(asDateWritesIt(ms))
})

test('leaves times before 1970, after 9999 and fractions of a millisecond to Date', () => {
  for (const ms of [-1, -86_400_001, Date.UTC(10_000, 0, 1), 8.64e15, 1.5, -8.64e15])
    expect(toIsoTimestamp(ms)).toBe(asDateWritesIt(ms))
})

test('throws like Date for a time Date cannot hold', () => {
  expect(() => toIsoTimestamp(Number.NaN)).toThrow(RangeError)
  expect(() => toIsoTimestamp(8.64e15 + 1)).toThrow(RangeError)
})
