import { expect, test } from 'vitest'
import {
  checkMatcher,
  checkPaths,
  isDeepEqual,
  matchSubset,
} from '../../../src/runner/match-subset.js'

const session = {
  mediaSessionId: 'ms-1',
  status: 'Ringing',
  offer: { sdp: 'v=0\r\n' },
  tags: ['a', 'b'],
}

test('accepts a subset of an object and ignores extra keys', () => {
  expect(matchSubset({ status: 'Ringing', offer: {} }, session, ['body'])).toEqual([])
})

test('names the path, the expected and the actual value of each mismatch', () => {
  expect(matchSubset({ status: 'Connected', offer: { sdp: 'x' } }, session, ['body'])).toEqual([
    'body.status: expected "Connected", got "Ringing"',
    'body.offer.sdp: expected "x", got "v=0\\r\\n"',
  ])
})

test('reports a missing field as missing', () => {
  expect(matchSubset({ answer: { sdp: 'v=0' } }, session, ['body'])).toEqual([
    'body.answer: expected {"sdp":"v=0"}, but the field is missing',
  ])
})

test('matches arrays element by element with the same length', () => {
  expect(matchSubset({ tags: ['a', 'b'] }, session, ['body'])).toEqual([])
  expect(matchSubset({ tags: ['a'] }, session, ['body'])).toEqual([
    'body.tags: expected 1 element(s), got 2: ["a","b"]',
  ])
  expect(matchSubset([{ id: 1 }], [{ id: 2, x: 1 }], ['body'])).toEqual([
    'body[0].id: expected 1, got 2',
  ])
})

test('tells an object from an array or a scalar', () => {
  expect(matchSubset({ offer: ['x'] }, session, ['body'])).toEqual([
    'body.offer: expected an array, got an object {"sdp":"v=0\\r\\n"}',
  ])
  expect(matchSubset({ status: { code: 1 } }, session, ['body'])).toEqual([
    'body.status: expected an object, got a string "Ringing"',
  ])
  expect(matchSubset({ a: 1 }, undefined, ['body'])).toEqual([
    'body: expected an object, got nothing',
  ])
})

test('compares numbers, booleans and null strictly', () => {
  expect(matchSubset({ n: 1, b: false, z: null }, { n: 1, b: false, z: null })).toEqual([])
  expect(matchSubset({ n: 1 }, { n: '1' })).toEqual(['n: expected 1, got "1"'])
})

test('applies each matcher', () => {
  expect(checkMatcher('p', 'Ringing', true, 'Ringing')).toBeUndefined()
  expect(checkMatcher('p', { equalTo: { a: [1] } }, true, { a: [1] })).toBeUndefined()
  expect(checkMatcher('p', { notEqualTo: 'v=0 old' }, true, 'v=0 new')).toBeUndefined()
  expect(checkMatcher('p', { notEqualTo: 'v=0 old' }, true, 'v=0 old')).toBe(
    'p: expected anything but "v=0 old"',
  )
  expect(checkMatcher('p', { present: true }, false, undefined)).toBe(
    'p: expected to exist, but there is nothing there',
  )
  expect(checkMatcher('p', { present: false }, true, 3)).toBe('p: expected to be absent, got 3')
  expect(checkMatcher('p', { matches: '^v=0' }, true, 'v=0\r\n')).toBeUndefined()
  expect(checkMatcher('p', { matches: '^v=1' }, true, 'v=0')).toBe(
    'p: expected to match /^v=1/, got "v=0"',
  )
  expect(checkMatcher('p', { oneOf: ['Ringing', 'Connected'] }, true, 'Hold')).toBe(
    'p: expected one of ["Ringing","Connected"], got "Hold"',
  )
  expect(checkMatcher('p', { length: 2 }, true, ['a', 'b'])).toBeUndefined()
  expect(checkMatcher('p', { length: 2 }, true, 5)).toBe(
    'p: expected a string or array of length 2, got a number',
  )
  expect(checkMatcher('p', { type: 'number' }, true, 3)).toBeUndefined()
  expect(checkMatcher('p', { type: 'integer' }, true, 3.5)).toBe(
    'p: expected type integer, got number',
  )
})

test('checks JSON paths against a whole response', () => {
  const record = { status: 200, headers: { 'x-correlator': 'c-1' }, body: session }
  expect(
    checkPaths(record, {
      status: 200,
      'headers.X-Correlator': 'c-1',
      'body.tags[1]': 'b',
      'body.answer': { present: false },
    }),
  ).toEqual([])
  expect(
    checkPaths(record, { 'body.tags[2]': 'c', 'body.status': { oneOf: ['Connected'] } }),
  ).toEqual([
    'body.tags[2]: expected "c", but there is nothing there',
    'body.status: expected one of ["Connected"], got "Ringing"',
  ])
})

test('compares deeply regardless of key order', () => {
  expect(isDeepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true)
  expect(isDeepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false)
})

test('checks a whole response: status list, headers in any case, subset, paths and latency', async () => {
  const { checkResponse } = await import('../../../src/runner/check-expectation.js')
  const record = { status: 201, headers: { 'x-correlator': 'c-1' }, body: session, latencyMs: 1200 }
  const expectation = { contract: 'valid', dropped: false } as const
  expect(
    checkResponse(
      {
        ...expectation,
        status: [200, 201],
        headers: { 'X-Correlator': 'c-1' },
        body: { status: 'Ringing' },
        latency: { atLeastMs: 1000, atMostMs: 3000 },
      },
      record,
    ),
  ).toEqual([])
  expect(
    checkResponse(
      {
        ...expectation,
        status: 200,
        headers: { 'x-correlator': { present: false } },
        latency: { atMostMs: 1000 },
      },
      record,
    ),
  ).toEqual([
    'status: expected 200, got 201 {"mediaSessionId":"ms-1","status":"Ringing","offer":{"sdp":"v=0\\r\\n"},"tags":["a","b"]}',
    'headers.x-correlator: expected to be absent, got "c-1"',
    'latency: expected at most 1000 ms, the answer took 1200 ms',
  ])
})
