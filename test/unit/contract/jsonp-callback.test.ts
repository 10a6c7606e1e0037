import { expect, test } from 'vitest'
import { isJsonpCallbackName } from '../../../src/contract/index.js'

test('accepts plain identifiers and dotted paths of them, as JSONP pages name their functions', () => {
  for (const name of ['cb', 'processResponse', '_private', '$jq', 'c2c.onStatus', 'a.b.c', 'x1.y2'])
    expect(isJsonpCallbackName(name), name).toBe(true)
  expect(isJsonpCallbackName('a'.repeat(128))).toBe(true)
})

test('refuses anything else: script, empty or doubled dots, leading digits, non-ASCII, too long', () => {
  for (const name of [
    '',
    'alert(1)',
    'a;b',
    'a..b',
    '.a',
    'a.',
    '1a',
    'a.1b',
    'a b',
    'a-b',
    'ünï',
    'a\u2028',
    'a'.repeat(129),
  ])
    expect(isJsonpCallbackName(name), JSON.stringify(name)).toBe(false)
  for (const value of [undefined, null, 42, ['cb'], { cb: 1 }])
    expect(isJsonpCallbackName(value)).toBe(false)
})

test('decides in one pass, however long the input', () => {
  const hostile = `${'a.'.repeat(500_000)}!`
  const startedAt = performance.now()
  expect(isJsonpCallbackName(hostile)).toBe(false)
  expect(performance.now() - startedAt).toBeLessThan(50)
})
