import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import {
  CompileCache,
  callbackKey,
  compileCallbacks,
  loadSpec,
  validateCallbackRequest,
  validateRequest,
  type CompiledSpec,
} from '../../../src/contract/index.js'

const PETS = `
openapi: 3.0.3
info: { title: pets, version: '1' }
servers: [{ url: /pets }]
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
      responses:
        '204': { description: added }
components:
  schemas:
    Pet:
      type: object
      required: [petType]
      properties:
        petType: { type: string }
        name: { type: string, nullable: true }
      discriminator:
        propertyName: petType
        mapping:
          dog: '#/components/schemas/Dog'
    Dog:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          required: [bark]
          properties:
            bark: { type: string, enum: [loud, soft] }
    Cat:
      allOf:
        - $ref: '#/components/schemas/Pet'
        - type: object
          required: [meow]
          properties:
            meow: { type: boolean }
`

/**
 * One cache for the file, as a process keeps one: a spec's bytes are compiled once, however
 * many tests load them (the events spec was compiled anew for each of five tests). What it
 * hands out is read-only: compiled validators are pure functions of their schema.
 */
const cache = new CompileCache()

function setup(text = PETS): CompiledSpec {
  const loaded = loadSpec(text, 'pets.yaml', cache)
  if (!loaded.ok) throw new Error(loaded.error.map((p) => p.message).join('\n'))
  return loaded.value
}

function checkBody(spec: CompiledSpec, operationId: string, body: unknown): string[] {
  const operation = spec.operations.get(operationId)
  if (!operation) throw new Error(`no operation ${operationId}`)
  const result = validateRequest(operation, {
    pathParams: {},
    query: {},
    headers: {},
    hasBody: true,
    contentType: 'application/json',
    body,
  })
  return result.violations.map((violation) => violation.message)
}

test('checks the mapped schema that an explicit discriminator mapping selects', () => {
  const spec = setup()
  expect(checkBody(spec, 'addPet', { petType: 'dog', bark: 'loud' })).toEqual([])
  expect(checkBody(spec, 'addPet', { petType: 'dog' })).toEqual(['bark is required'])
  expect(checkBody(spec, 'addPet', { petType: 'dog', bark: 'whisper' })).toEqual([
    'bark must be one of: "loud", "soft"',
  ])
})

test('selects a schema by its name when it extends the base without a mapping entry', () => {
  const spec = setup()
  expect(checkBody(spec, 'addPet', { petType: 'Cat', meow: true })).toEqual([])
  expect(checkBody(spec, 'addPet', { petType: 'Cat', meow: 'yes' })).toEqual([
    'meow must be of type boolean',
  ])
})

test('refuses a discriminator value that maps to no schema', () => {
  const spec = setup()
  expect(checkBody(spec, 'addPet', { petType: 'hamster' })).toEqual([
    'petType must be one of: "dog", "Cat"',
  ])
})

test('keeps the base rules, including nullable, on every mapped schema', () => {
  const spec = setup()
  expect(checkBody(spec, 'addPet', { petType: 'dog', bark: 'soft', name: null })).toEqual([])
  expect(checkBody(spec, 'addPet', { petType: 'dog', bark: 'soft', name: 7 })).toEqual([
    'name must be of type string,null',
  ])
  expect(checkBody(spec, 'addPet', { bark: 'soft' })).toEqual(['petType is required'])
})

test('validates a mapped schema used on its own without recursing into the dispatch', () => {
  const spec = setup(
    PETS.replace(
      "schema: { $ref: '#/components/schemas/Pet' }",
      "schema: { $ref: '#/components/schemas/Dog' }",
    ),
  )
  expect(checkBody(spec, 'addPet', { petType: 'dog', bark: 'loud' })).toEqual([])
  expect(checkBody(spec, 'addPet', { petType: 'dog' })).toEqual(['bark is required'])
})

const EVENTS = readFileSync(
  new URL('../../../spec/camara/webrtc-events.yaml', import.meta.url),
  'utf8',
)
const SUBSCRIPTION = {
  protocol: 'HTTP',
  sink: 'https://client.example.com/events',
  types: ['org.camaraproject.webrtc-events.v0.session-invitation'],
  config: { subscriptionDetail: { deviceId: '7d444840-9dc0-11d1-b245-5ffdce74fad2' } },
}

test('enforces the AccessTokenCredential fields behind sinkCredential.credentialType', () => {
  const spec = setup(EVENTS)
  const credential = {
    credentialType: 'ACCESSTOKEN',
    accessToken: 'abc',
    accessTokenExpiresUtc: '2025-06-30T12:00:00Z',
    accessTokenType: 'bearer',
  }
  expect(
    checkBody(spec, 'createNotificationChannelSubscription', {
      ...SUBSCRIPTION,
      sinkCredential: credential,
    }),
  ).toEqual([])
  expect(
    checkBody(spec, 'createNotificationChannelSubscription', {
      ...SUBSCRIPTION,
      sinkCredential: { credentialType: 'ACCESSTOKEN' },
    }),
  ).toEqual([
    'sinkCredential.accessToken is required',
    'sinkCredential.accessTokenExpiresUtc is required',
    'sinkCredential.accessTokenType is required',
  ])
})

function eventsCallback(text = EVENTS, reading: 'tolerant' | 'literal' = 'tolerant') {
  const loaded = loadSpec(text, 'webrtc-events.yaml', cache, reading)
  if (!loaded.ok) throw new Error('events spec does not load')
  const compiled = compileCallbacks(loaded.value.spec)
  if (!compiled.ok) throw new Error(compiled.error.map((p) => p.message).join('\n'))
  const callback = compiled.value.get(callbackKey('notifications', '{$request.body#/sink}', 'post'))
  if (!callback) throw new Error('no notifications callback')
  return (body: unknown, contentType = 'application/cloudevents+json') =>
    validateCallbackRequest(callback, { contentType, body }).map((violation) => violation.message)
}

const INVITATION = {
  id: 'evt-1',
  source: '/webrtc-events/vwip',
  type: 'org.camaraproject.webrtc-events.v0.session-invitation',
  specversion: '1.0',
  datacontenttype: 'application/json',
  time: '2025-01-01T00:00:00.000Z',
  data: {
    mediaSessionId: 'ABC',
    originatorAddress: 'tel:+15550001',
    receiverAddress: 'tel:+15550002',
    status: 'Initial',
  },
}

test('validates a CloudEvent callback body by its type, data included', () => {
  const check = eventsCallback()
  expect(check(INVITATION)).toEqual([])
  const { receiverAddress: _dropped, ...withoutReceiver } = INVITATION.data
  expect(check({ ...INVITATION, data: withoutReceiver })).toEqual([
    'data.receiverAddress is required',
  ])
  expect(
    check({ ...INVITATION, data: { ...INVITATION.data, originatorAddress: 'urn:service:sos' } }),
  ).toHaveLength(1)
  expect(
    check({ ...INVITATION, type: 'org.camaraproject.webrtc-events.v0.session-ringing' })[0],
  ).toMatch(/^type must be one of: /)
})

const SESSION_STATUS = {
  ...INVITATION,
  type: 'org.camaraproject.webrtc-events.v0.session-status',
  data: { mediaSessionId: 'ABC', status: 'Ringing' },
}

test('requires mediaSessionId and status of a session-status event in data, where its example has them', () => {
  const check = eventsCallback()
  expect(check(SESSION_STATUS)).toEqual([])
  expect(check({ ...SESSION_STATUS, data: { status: 'Ringing' } })).toEqual([
    'data.mediaSessionId is required',
  ])
})

test('holds session-status events to the envelope fields the file names when read literally (--spec-strict)', () => {
  const check = eventsCallback(EVENTS, 'literal')
  expect(check(SESSION_STATUS)).toEqual(['mediaSessionId is required', 'status is required'])
  expect(check({ ...SESSION_STATUS, mediaSessionId: 'ABC', status: 'Ringing' })).toEqual([])
})

test('refuses a callback body sent with a media type the callback does not declare', () => {
  const check = eventsCallback()
  expect(check(INVITATION, 'application/json')).toEqual([
    'Content-Type application/json is not declared for the notifications callback (declared: application/cloudevents+json)',
  ])
})

test('validates callbacks of the official reference file the same way', () => {
  const reference = readFileSync(
    new URL('../../contract/fixtures/webrtc-events.yaml', import.meta.url),
    'utf8',
  )
  const check = eventsCallback(reference)
  expect(check(INVITATION)).toEqual([])
  expect(check({ ...INVITATION, data: { ...INVITATION.data, status: 'Ringingg' } })[0]).toMatch(
    /^data\.status must be one of/,
  )
})
