/* eslint-disable no-template-curly-in-string -- run files write ${…} expressions in plain strings */
import { expect, test } from 'vitest'
import {
  createUuidBag,
  evaluate,
  findExpressionRoots,
  formatPath,
  parsePath,
  resolveTemplate,
} from '../../../src/runner/expressions.js'

function setup() {
  const scope = new Map<string, unknown>([
    [
      'create',
      {
        status: 201,
        headers: { 'x-correlator': 'abc-1' },
        body: {
          mediaSessionId: 'ms-1',
          items: [{ id: 'a' }, { id: 'b' }],
          count: 2,
          'odd.key': 'odd',
        },
      },
    ],
    ['env', { REG: 'reg-7' }],
  ])
  return { scope }
}

test('reads a step field by its path', () => {
  const { scope } = setup()
  expect(evaluate('create.body.mediaSessionId', scope)).toEqual({ ok: true, value: 'ms-1' })
  expect(evaluate('create.status', scope)).toEqual({ ok: true, value: 201 })
  expect(evaluate('create.body.items[1].id', scope)).toEqual({ ok: true, value: 'b' })
  expect(evaluate('create.body["odd.key"]', scope)).toEqual({ ok: true, value: 'odd' })
  expect(evaluate('env.REG', scope)).toEqual({ ok: true, value: 'reg-7' })
})

test('reads header names in any case', () => {
  const { scope } = setup()
  expect(evaluate('create.headers.X-Correlator', scope)).toEqual({ ok: true, value: 'abc-1' })
})

test('names the unknown step and the steps that exist', () => {
  const { scope } = setup()
  const result = evaluate('crate.body.mediaSessionId', scope)
  expect(result).toEqual({
    ok: false,
    error:
      '${crate.body.mediaSessionId}: no earlier step is named crate (named so far: create; env, sink, scenario and uuid are built in)',
  })
})

test('names the deepest part of a path that exists', () => {
  const { scope } = setup()
  expect(evaluate('create.body.answer.sdp', scope)).toEqual({
    ok: false,
    error: '${create.body.answer.sdp}: create.body has no field "answer"',
  })
  expect(evaluate('create.body.items[5].id', scope)).toEqual({
    ok: false,
    error: '${create.body.items[5].id}: create.body.items has no element [5]',
  })
})

test('keeps the type of a value when the string is one expression', () => {
  const { scope } = setup()
  const resolved = resolveTemplate(
    { count: '${create.body.count}', items: '${create.body.items}', nested: ['${create.status}'] },
    scope,
  )
  expect(resolved).toEqual({
    ok: true,
    value: { count: 2, items: [{ id: 'a' }, { id: 'b' }], nested: [201] },
  })
})

test('writes values into longer strings as text, and $${ as a literal', () => {
  const { scope } = setup()
  expect(
    resolveTemplate(
      'id=${create.body.mediaSessionId}; n=${create.body.count}; ${create.body.items[0]}',
      scope,
    ),
  ).toEqual({
    ok: true,
    value: 'id=ms-1; n=2; {"id":"a"}',
  })
  expect(resolveTemplate('$${not.an.expression}', scope)).toEqual({
    ok: true,
    value: '${not.an.expression}',
  })
})

test('reports every expression that cannot be resolved', () => {
  const { scope } = setup()
  const resolved = resolveTemplate(
    { a: '${nope.body}', b: 'x ${create.body.missing}', c: '${create.body' },
    scope,
  )
  expect(resolved.ok).toBe(false)
  if (resolved.ok) return
  expect(resolved.error).toHaveLength(3)
  expect(resolved.error[2]).toMatch(/never closes it/)
})

test('parses and formats paths', () => {
  expect(parsePath('a.b[0]["c.d"].e-f')).toEqual({ ok: true, value: ['a', 'b', 0, 'c.d', 'e-f'] })
  expect(formatPath(['a', 'b', 0, 'c.d', 'e-f'])).toBe('a.b[0]["c.d"].e-f')
  expect(parsePath('a..b').ok).toBe(false)
  expect(parsePath('a[x]').ok).toBe(false)
  expect(parsePath('').ok).toBe(false)
})

test('finds the roots of every expression in a value', () => {
  expect(
    findExpressionRoots({ a: ['${create.body.x} and ${read.status}'], b: { c: '${env.X}' }, d: 3 }),
  ).toEqual({ ok: true, value: ['create', 'read', 'env'] })
})

test('gives one UUID per name and keeps it', () => {
  let n = 0
  const scope = new Map<string, unknown>([['uuid', createUuidBag(() => `uuid-${(n += 1)}`)]])
  expect(resolveTemplate(['${uuid.device}', '${uuid.other}', '${uuid.device}'], scope)).toEqual({
    ok: true,
    value: ['uuid-1', 'uuid-2', 'uuid-1'],
  })
})
