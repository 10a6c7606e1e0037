import { expect, test } from 'vitest'
import { parseDuration } from '../../../src/core/index.js'

test.each([
  ['250ms', 250],
  ['5s', 5000],
  ['1.5m', 90_000],
  ['2h', 7_200_000],
  ['1500', 1500],
  [' 5 s ', 5000],
  [0, 0],
  [42, 42],
])('reads %j as %d ms', (input, ms) => {
  expect(parseDuration(input)).toEqual({ ok: true, value: ms })
})

test.each([
  ['soon', '"soon" is not a duration: write it like 250ms, 5s, 1.5m or 2h'],
  ['-5s', '"-5s" is not a duration: write it like 250ms, 5s, 1.5m or 2h'],
  ['5d', '"5d" is not a duration: write it like 250ms, 5s, 1.5m or 2h'],
  [-1, '-1 is not a duration: use a non-negative number of milliseconds'],
  [Number.NaN, 'NaN is not a duration: use a non-negative number of milliseconds'],
  [true, 'a duration must be a string such as "5s" or a number of milliseconds'],
])('refuses %j with a message that shows the right form', (input, message) => {
  expect(parseDuration(input)).toEqual({ ok: false, error: message })
})
