import { expect, test } from 'vitest'
import { Timeline } from '../../../src/core/index.js'

const START = Date.UTC(2025, 0, 1)

test('gives back every entry as it was added, each from the status before it', () => {
  const timeline = new Timeline(START, 'Initial', 'A', 'session created')
  timeline.add(START + 200, 'InProgress', 'B', 'network reported InProgress')
  timeline.add(START + 4000, 'Connected', 'B', 'remote party answered')
  timeline.add(START + 4000, 'Connected', 'A', 'remote party re-negotiated media')
  timeline.add(START + 90_061_000, 'Terminated', 'S', 'released by the network')
  expect(timeline.length).toBe(5)
  expect(timeline.entries()).toEqual([
    { at: START, from: null, to: 'Initial', by: 'A', cause: 'session created' },
    {
      at: START + 200,
      from: 'Initial',
      to: 'InProgress',
      by: 'B',
      cause: 'network reported InProgress',
    },
    {
      at: START + 4000,
      from: 'InProgress',
      to: 'Connected',
      by: 'B',
      cause: 'remote party answered',
    },
    {
      at: START + 4000,
      from: 'Connected',
      to: 'Connected',
      by: 'A',
      cause: 'remote party re-negotiated media',
    },
    {
      at: START + 90_061_000,
      from: 'Connected',
      to: 'Terminated',
      by: 'S',
      cause: 'released by the network',
    },
  ])
  expect(timeline.last()).toEqual(timeline.entry(4))
})

test('has no entry outside its range', () => {
  const timeline = new Timeline(START, 'Initial', 'S', 'session created')
  expect(timeline.entry(1)).toBeUndefined()
  expect(timeline.entry(-1)).toBeUndefined()
  expect(timeline.entry(0.5)).toBeUndefined()
  expect(timeline.last()).toEqual({
    at: START,
    from: null,
    to: 'Initial',
    by: 'S',
    cause: 'session created',
  })
})

test('counts only the entries added, not the room kept for those a lifecycle will add', () => {
  const timeline = new Timeline(START, 'Initial', 'A', 'session created', 3)
  expect(timeline.length).toBe(1)
  expect(timeline.entry(1)).toBeUndefined()
  timeline.add(START + 200, 'InProgress', 'B', 'network reported InProgress')
  timeline.add(START + 1000, 'Ringing', 'B', 'network reported Ringing')
  // One more than was expected: the timeline grows past the room it was given.
  timeline.add(START + 2000, 'SessionCancelled', 'A', 'client ended the session')
  expect(timeline.length).toBe(4)
  expect(timeline.entries().map((entry) => [entry.at - START, entry.from, entry.to])).toEqual([
    [0, null, 'Initial'],
    [200, 'Initial', 'InProgress'],
    [1000, 'InProgress', 'Ringing'],
    [2000, 'Ringing', 'SessionCancelled'],
  ])
  expect(timeline.entry(4)).toBeUndefined()
})

test('has no entry outside its range when room was kept', () => {
  const timeline = new Timeline(START, 'Initial', 'S', 'session created', 4)
  expect(timeline.entry(1)).toBeUndefined()
  expect(timeline.entry(-1)).toBeUndefined()
  expect(timeline.entry(0.5)).toBeUndefined()
  expect(timeline.last()).toEqual({
    at: START,
    from: null,
    to: 'Initial',
    by: 'S',
    cause: 'session created',
  })
})
