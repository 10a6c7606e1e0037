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
    { at: START + 200, from: 'Initial', to: 'InProgress', by: 'B', cause: 'network reported InProgress' },
    { at: START + 4000, from: 'InProgress', to: 'Connected', by: 'B', cause: 'remote party answered' },
    { at: START + 4000, from: 'Connected', to: 'Connected', by: 'A', cause: 'remote party re-negotiated media' },
    { at: START + 90_061_000, from: 'Connected', to: 'Terminated', by: 'S', cause: 'released by the network' },
  ])
  expect(timeline.last()).toEqual(timeline.entry(4))
})

test('has no entry outside its range', () => {
  const timeline = new Timeline(START, 'Initial', 'S', 'session created')
  expect(timeline.entry(1)).toBeUndefined()
  expect(timeline.entry(-1)).toBeUndefined()
  expect(timeline.entry(0.5)).toBeUndefined()
  expect(timeline.last()).toEqual({ at: START, from: null, to: 'Initial', by: 'S', cause: 'session created' })
})
