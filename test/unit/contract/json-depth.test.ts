import fc from 'fast-check'
import { expect, test } from 'vitest'
import { exceedsJsonDepth } from '../../../src/contract/index.js'

/** How deep a parsed JSON value nests objects and arrays (a scalar is 0 deep). */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0
  const children = Array.isArray(value) ? value : Object.values(value)
  return 1 + Math.max(0, ...children.map(depthOf))
}

test('counts the brackets outside strings, whatever the strings hold', () => {
  expect(exceedsJsonDepth('{"a":{"b":[1]}}', 3)).toBe(false)
  expect(exceedsJsonDepth('{"a":{"b":[[1]]}}', 3)).toBe(true)
  // Brackets, escaped quotes and escaped backslashes inside strings are text.
  expect(exceedsJsonDepth('{"a":"[[[[\\"[[[["}', 1)).toBe(false)
  expect(exceedsJsonDepth('{"a":"\\\\","b":[[1]]}', 2)).toBe(true)
  expect(exceedsJsonDepth('{"a":"\\\\\\"[[[","b":1}', 1)).toBe(false)
  // A string that never ends hides nothing JSON.parse would accept.
  expect(exceedsJsonDepth(`"${'['.repeat(100)}`, 3)).toBe(false)
  expect(exceedsJsonDepth('['.repeat(5000), 64)).toBe(true)
})

test('agrees with the depth of what JSON.parse builds (seeded)', () => {
  fc.assert(
    fc.property(fc.json({ maxDepth: 6 }), fc.integer({ min: 0, max: 6 }), (text, limit) => {
      expect(exceedsJsonDepth(text, limit)).toBe(depthOf(JSON.parse(text)) > limit)
    }),
    { seed: 64, numRuns: 2000 },
  )
})
