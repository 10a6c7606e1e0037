import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import {
  describeViolations,
  isRangeViolation,
  loadSpec,
  validateRequest,
  validateResponse,
  type CompiledOperation,
  type RequestParts,
  type Violation,
} from '../../../src/contract/index.js'

const SPEC_FILE = 'spec/camara/webrtc-call-handling.yaml'
const loaded = loadSpec(
  readFileSync(new URL(`../../../${SPEC_FILE}`, import.meta.url), 'utf8'),
  SPEC_FILE,
)
if (!loaded.ok) throw new Error(`${SPEC_FILE} does not load`)
const spec = loaded.value

function operation(operationId: string): CompiledOperation {
  const found = spec.operations.get(operationId)
  if (!found) throw new Error(`no ${operationId}`)
  return found
}

const VALID_CREATE = {
  originatorAddress: 'tel:+15550001',
  receiverAddress: 'tel:+15550002',
  offer: { sdp: 'v=0\r\n' },
}

function createSession(overrides: Partial<RequestParts> & { body?: unknown } = {}): Violation[] {
  return validateRequest(operation('createSession'), {
    pathParams: {},
    query: {},
    headers: { registrationid: 'reg-1' },
    hasBody: true,
    contentType: 'application/json',
    body: VALID_CREATE,
    ...overrides,
  }).violations
}

const messages = (violations: readonly Violation[]) => violations.map((v) => v.message)

test('accepts a valid createSession request', () => {
  expect(createSession()).toEqual([])
})

test('names a missing header as the spec spells it', () => {
  expect(createSession({ headers: {} })).toEqual([
    {
      direction: 'request',
      operationId: 'createSession',
      location: 'header',
      path: 'header.registrationId',
      keyword: 'required',
      message: 'header registrationId is required',
    },
  ])
})

test('names the field and the rule of a body that breaks the schema', () => {
  expect(messages(createSession({ body: { ...VALID_CREATE, callType: 'VIP' } }))).toEqual([
    'callType must be one of: "REGULAR", "EMERGENCY"',
  ])
  expect(
    messages(createSession({ body: { receiverAddress: 'tel:+15550002', offer: {} } })),
  ).toEqual(['originatorAddress is required'])
  expect(messages(createSession({ body: { ...VALID_CREATE, offer: 'v=0' } }))).toEqual([
    'offer must be of type object',
  ])
  expect(messages(createSession({ body: [] }))).toEqual(['request body must be of type object'])
})

test('summarises a long pattern instead of printing it', () => {
  const [violation] = createSession({ body: { ...VALID_CREATE, receiverAddress: 'bob' } })
  expect(violation).toMatchObject({ path: 'body.receiverAddress', keyword: 'pattern' })
  expect(violation?.message).toBe(
    'receiverAddress does not match the format the spec requires (pattern)',
  )
})

test('prints a short pattern in full', () => {
  const [violation] = createSession({
    headers: { registrationid: 'reg-1', 'x-correlator': 'has spaces' },
  })
  expect(violation?.message).toBe(
    'header x-correlator must match the pattern ^[a-zA-Z0-9-_:;.\\/<>{}]{0,256}$',
  )
})

test('marks size and range violations, which CAMARA answers with OUT_OF_RANGE', () => {
  const tooLong = createSession({
    body: { ...VALID_CREATE, originatorName: 'x'.repeat(257), offer: { sdp: 'v'.repeat(65537) } },
  })
  expect(messages(tooLong)).toEqual([
    'originatorName must be at most 256 characters long (maxLength)',
    'offer.sdp must be at most 65536 characters long (maxLength)',
  ])
  expect(tooLong.every(isRangeViolation)).toBe(true)
  const confidence = createSession({
    body: { ...VALID_CREATE, locationDetails: { confidence: { value: 101 } } },
  })
  expect(messages(confidence)).toEqual([
    'locationDetails.confidence.value must be <= 100 (maximum)',
  ])
  expect(confidence.every(isRangeViolation)).toBe(true)
})

test('does not mark format, type, enum or required violations as range violations', () => {
  const violations = createSession({ body: { receiverAddress: 'bob', callType: 'VIP', offer: 5 } })
  expect(violations.map((v) => v.keyword).sort()).toEqual(['enum', 'pattern', 'required', 'type'])
  expect(violations.some(isRangeViolation)).toBe(false)
})

test('names path parameters as such', () => {
  const violations = validateRequest(operation('getSessionDetailsById'), {
    pathParams: { mediaSessionId: 'x'.repeat(257) },
    query: {},
    headers: {},
    hasBody: false,
    contentType: undefined,
    body: undefined,
  }).violations
  expect(violations).toMatchObject([{ path: 'path.mediaSessionId', keyword: 'maxLength' }])
  expect(messages(violations)).toEqual([
    'path parameter mediaSessionId must be at most 256 characters long (maxLength)',
  ])
})

test('reports only the summary of a failed oneOf, not every branch', () => {
  const violations = createSession({
    body: { ...VALID_CREATE, locationDetails: { coordinates: { latitude: 'north' } } },
  })
  expect(messages(violations)).toEqual([
    'locationDetails.coordinates must match exactly one schema in oneOf (oneOf)',
  ])
})

test('stops at five violations, so a message stays readable', () => {
  const body = {
    originatorAddress: 1,
    receiverAddress: 2,
    originatorName: 3,
    receiverName: 4,
    callType: 5,
    offer: 6,
  }
  expect(createSession({ body })).toHaveLength(5)
})

test('flags a media type the operation does not accept, and takes +json types as JSON', () => {
  const plain = validateRequest(operation('createSession'), {
    pathParams: {},
    query: {},
    headers: { registrationid: 'r' },
    hasBody: true,
    contentType: 'text/plain',
    body: 'hello',
  })
  expect(plain.unsupportedMediaType).toBe(true)
  expect(messages(plain.violations)).toEqual([
    'Content-Type text/plain is not accepted; send application/json',
  ])
  expect(createSession({ contentType: 'application/vnd.callsim+json; charset=utf-8' })).toEqual([])
})

test('describes a response that breaks the spec: undeclared status, body, media type', () => {
  const create = operation('createSession')
  const remove = operation('deleteSessionById')
  expect(
    messages(
      validateResponse(create, {
        status: 418,
        contentType: 'application/json',
        body: {},
        headers: {},
      }),
    ),
  ).toEqual(['status 418 is not declared for createSession (declared: 201, 400, 401, 403, 501)'])
  expect(
    messages(
      validateResponse(remove, {
        status: 204,
        contentType: 'application/json',
        body: {},
        headers: {},
      }),
    ),
  ).toEqual(['status 204 of deleteSessionById declares no body, but one was sent'])
  expect(
    messages(
      validateResponse(create, {
        status: 201,
        contentType: undefined,
        body: undefined,
        headers: {},
      }),
    ),
  ).toEqual(['status 201 of createSession declares a body, but none was sent'])
  expect(
    messages(
      validateResponse(create, {
        status: 400,
        contentType: 'text/html',
        body: '<h1>',
        headers: {},
      }),
    ),
  ).toEqual(['Content-Type text/html is not declared for status 400'])
  expect(
    messages(
      validateResponse(create, {
        status: 400,
        contentType: 'application/json',
        body: { status: 400, code: 'NOT_FOUND', message: 'x' },
        headers: {},
      }),
    ),
  ).toEqual(['code must be one of: "INVALID_ARGUMENT", "OUT_OF_RANGE"'])
})

test('checks response headers against their declared schema', () => {
  const violations = validateResponse(operation('createSession'), {
    status: 400,
    contentType: 'application/json',
    body: { status: 400, code: 'INVALID_ARGUMENT', message: 'x' },
    headers: { 'x-correlator': 'not valid!' },
  })
  expect(violations).toMatchObject([
    { direction: 'response', status: 400, location: 'header', keyword: 'pattern' },
  ])
})

test('joins violations into one bounded line for a client message', () => {
  const violations = createSession({ body: { receiverAddress: 'bob', callType: 'VIP', offer: {} } })
  expect(describeViolations(violations)).toBe(
    'receiverAddress does not match the format the spec requires (pattern); callType must be one of: "REGULAR", "EMERGENCY"; originatorAddress is required',
  )
  const short = describeViolations(violations, 20)
  expect(short).toHaveLength(20)
  expect(short.endsWith('…')).toBe(true)
})
