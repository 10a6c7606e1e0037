import { expect, test } from 'vitest'
import { OperationIndex } from '../../../src/contract/index.js'

function createIndex(routes: readonly [string, string][]): OperationIndex<string> {
  const index = new OperationIndex<string>()
  for (const [method, template] of routes) index.add(method, template, `${method} ${template}`)
  return index
}

const CALL_HANDLING = createIndex([
  ['POST', '/sessions'],
  ['GET', '/sessions/{mediaSessionId}'],
  ['DELETE', '/sessions/{mediaSessionId}'],
  ['PUT', '/sessions/{mediaSessionId}/status'],
])

test('matches a parameterised path and hands over the parameter', () => {
  expect(CALL_HANDLING.match('GET', '/sessions/ABC123')).toEqual({
    kind: 'matched',
    target: 'GET /sessions/{mediaSessionId}',
    pathParams: { mediaSessionId: 'ABC123' },
  })
  expect(CALL_HANDLING.match('put', '/sessions/ABC123/status')).toMatchObject({
    target: 'PUT /sessions/{mediaSessionId}/status',
  })
})

test('lets a literal segment beat a parameter, as OpenAPI requires', () => {
  const index = createIndex([
    ['GET', '/sessions/{id}'],
    ['GET', '/sessions/search'],
  ])
  expect(index.match('GET', '/sessions/search')).toEqual({
    kind: 'matched',
    target: 'GET /sessions/search',
    pathParams: {},
  })
  expect(index.match('GET', '/sessions/other')).toMatchObject({
    target: 'GET /sessions/{id}',
    pathParams: { id: 'other' },
  })
})

test('falls back to the parameter branch when only it answers the method', () => {
  const index = createIndex([
    ['GET', '/sessions/search'],
    ['DELETE', '/sessions/{id}'],
  ])
  expect(index.match('DELETE', '/sessions/search')).toEqual({
    kind: 'matched',
    target: 'DELETE /sessions/{id}',
    pathParams: { id: 'search' },
  })
})

test('hands over only the parameters of the route that matched', () => {
  // The literal branch /s/lit/{id} is explored first and fails for POST; its {id} must not
  // leak into the parameters of the route that does match.
  const index = createIndex([
    ['GET', '/s/lit/{id}'],
    ['POST', '/s/{p}/{q}'],
  ])
  expect(index.match('POST', '/s/lit/9')).toEqual({
    kind: 'matched',
    target: 'POST /s/{p}/{q}',
    pathParams: { p: 'lit', q: '9' },
  })
})

test('percent-decodes parameters and keeps a malformed escape as it came', () => {
  expect(CALL_HANDLING.match('GET', '/sessions/a%20b%2Fc')).toMatchObject({
    pathParams: { mediaSessionId: 'a b/c' },
  })
  expect(CALL_HANDLING.match('GET', '/sessions/%E0%A4%A')).toMatchObject({
    pathParams: { mediaSessionId: '%E0%A4%A' },
  })
})

test('answers method-not-allowed with the methods the path does take', () => {
  expect(CALL_HANDLING.match('PATCH', '/sessions/ABC')).toEqual({
    kind: 'method-not-allowed',
    allowed: ['GET', 'DELETE', 'HEAD'],
  })
  expect(CALL_HANDLING.match('GET', '/sessions')).toEqual({
    kind: 'method-not-allowed',
    allowed: ['POST'],
  })
})

test('runs the GET operation for HEAD wherever the spec declares no HEAD of its own', () => {
  expect(CALL_HANDLING.match('HEAD', '/sessions/ABC')).toMatchObject({
    kind: 'matched',
    target: 'GET /sessions/{mediaSessionId}',
    pathParams: { mediaSessionId: 'ABC' },
  })
  expect(CALL_HANDLING.match('HEAD', '/sessions')).toEqual({
    kind: 'method-not-allowed',
    allowed: ['POST'],
  })
})

test('treats a trailing slash as the same resource', () => {
  expect(CALL_HANDLING.match('POST', '/sessions/')).toMatchObject({
    kind: 'matched',
    target: 'POST /sessions',
  })
  expect(CALL_HANDLING.match('GET', '/sessions/ABC/')).toMatchObject({
    kind: 'matched',
    pathParams: { mediaSessionId: 'ABC' },
  })
})

test('does not match an empty parameter of a route without the method, nor an unknown path', () => {
  expect(CALL_HANDLING.match('GET', '/sessions//status')).toEqual({
    kind: 'not-found',
    allowed: [],
  })
  expect(CALL_HANDLING.match('GET', '/')).toEqual({ kind: 'not-found', allowed: [] })
  expect(CALL_HANDLING.match('GET', '/calls/ABC')).toEqual({ kind: 'not-found', allowed: [] })
  expect(CALL_HANDLING.match('GET', '/sessions/ABC/status/extra')).toEqual({
    kind: 'not-found',
    allowed: [],
  })
})

test('matches literal segments exactly, case included', () => {
  expect(CALL_HANDLING.match('POST', '/Sessions')).toEqual({ kind: 'not-found', allowed: [] })
})

test('names a parameter after the route that matched when sibling routes name it differently', () => {
  // Oracle Click2Call: POST /{contactId}/{userPhone} and GET /{sessionId}/status share a first segment.
  const index = createIndex([
    ['POST', '/{contactId}/{userPhone}'],
    ['GET', '/{sessionId}/status'],
    ['DELETE', '/{sessionId}'],
  ])
  expect(index.match('GET', '/3f2a9c1e/status')).toEqual({
    kind: 'matched',
    target: 'GET /{sessionId}/status',
    pathParams: { sessionId: '3f2a9c1e' },
  })
  expect(index.match('DELETE', '/3f2a9c1e')).toEqual({
    kind: 'matched',
    target: 'DELETE /{sessionId}',
    pathParams: { sessionId: '3f2a9c1e' },
  })
  expect(index.match('POST', '/sales/%2B4581808888')).toEqual({
    kind: 'matched',
    target: 'POST /{contactId}/{userPhone}',
    pathParams: { contactId: 'sales', userPhone: '+4581808888' },
  })
  // POST on .../status falls back to the parameter branch, with its own names.
  expect(index.match('POST', '/sales/status')).toEqual({
    kind: 'matched',
    target: 'POST /{contactId}/{userPhone}',
    pathParams: { contactId: 'sales', userPhone: 'status' },
  })
})

test('matches an empty segment to the parameter of a route that takes the method, with the value empty', () => {
  expect(CALL_HANDLING.match('GET', '/sessions/')).toEqual({
    kind: 'matched',
    target: 'GET /sessions/{mediaSessionId}',
    pathParams: { mediaSessionId: '' },
  })
  expect(CALL_HANDLING.match('PUT', '/sessions//status')).toEqual({
    kind: 'matched',
    target: 'PUT /sessions/{mediaSessionId}/status',
    pathParams: { mediaSessionId: '' },
  })
})

test('prefers the empty parameter of GET /subscriptions/{id} over the list one segment up', () => {
  const index = createIndex([
    ['GET', '/subscriptions'],
    ['POST', '/subscriptions'],
    ['GET', '/subscriptions/{subscriptionId}'],
  ])
  expect(index.match('GET', '/subscriptions/')).toEqual({
    kind: 'matched',
    target: 'GET /subscriptions/{subscriptionId}',
    pathParams: { subscriptionId: '' },
  })
  expect(index.match('GET', '/subscriptions')).toMatchObject({ target: 'GET /subscriptions' })
  expect(index.match('POST', '/subscriptions/')).toMatchObject({ target: 'POST /subscriptions' })
})
