import { expect, test } from 'vitest'
import { DEFAULT_RETRY_POLICY, retryDelay, retrySchedule } from '../../../src/notify/index.js'

test('waits 1 s, 2 s, 4 s and 8 s between the five attempts of the default policy', () => {
  expect(retrySchedule()).toEqual([1000, 2000, 4000, 8000])
  expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(5)
})

test('stops after the last attempt', () => {
  expect(retryDelay(4)).toBe(8000)
  expect(retryDelay(5)).toBeUndefined()
  expect(retryDelay(50)).toBeUndefined()
})

test('never waits longer than the cap', () => {
  const policy = { maxAttempts: 10, initialDelayMs: 500, factor: 3, maxDelayMs: 10_000 }
  expect(retrySchedule(policy)).toEqual([
    500, 1500, 4500, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000,
  ])
})

test('has no delay for attempt counts that make no sense', () => {
  expect(retryDelay(0)).toBeUndefined()
  expect(retryDelay(-1)).toBeUndefined()
  expect(retryDelay(1.5)).toBeUndefined()
})
