import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import {
  callbackKey,
  compileCallbacks,
  loadSpec,
  validateCallbackRequest,
} from '../../../src/contract/index.js'
import {
  DomainEvents,
  Network,
  VirtualClock,
  createFaker,
  createRandom,
  type Call,
  type Subscription,
} from '../../../src/core/index.js'
import {
  createRegistrationEnds,
  createSessionInvitation,
  createSessionStatus,
  createSubscriptionEnded,
  isEventAddress,
  type CloudEvent,
} from '../../../src/notify/index.js'

const START = Date.UTC(2025, 0, 1)
const AT = { id: 'abcd-efgh-ijkl-mnop-1', source: '/webrtc-events/vwip', time: START + 1500 }

const reference = (() => {
  const text = readFileSync(
    new URL('../../contract/fixtures/webrtc-events.yaml', import.meta.url),
    'utf8',
  )
  const loaded = loadSpec(text, 'webrtc-events.yaml')
  if (!loaded.ok) throw new Error('reference spec')
  const compiled = compileCallbacks(loaded.value.spec)
  const callback = compiled.ok
    ? compiled.value.get(callbackKey('notifications', '{$request.body#/sink}', 'post'))
    : undefined
  if (!callback) throw new Error('reference callback')
  return callback
})()

function violationsOf(event: CloudEvent): string[] {
  return validateCallbackRequest(reference, {
    contentType: 'application/cloudevents+json',
    body: event,
  }).map((v) => v.message)
}

function setup(
  originator = 'tel:+15550002',
  receiver = 'tel:+15550001',
): { call: Call; subscription: Subscription } {
  const network = new Network({
    clock: new VirtualClock(START),
    faker: createFaker(42),
    random: createRandom(42),
    events: new DomainEvents(),
  })
  const call = network.offerIncomingCall({
    originator: { address: originator, name: 'Bob' },
    receiver: { address: receiver },
    offer: { sdp: 'v=0\r\n' },
    owner: receiver,
    scenarioId: 'test',
    lifecycle: { steps: [] },
  })
  const subscription: Subscription = {
    id: 'abcd-efgh-ijkl-mnop',
    owner: receiver,
    deviceId: 'device-1',
    detail: { deviceId: 'device-1' },
    type: 'org.camaraproject.webrtc-events.v0.session-invitation',
    sink: 'https://sink.example.com/',
    sinkCredential: undefined,
    createdAt: START,
    expiresAt: undefined,
    maxEvents: undefined,
    initialEvent: undefined,
    eventCount: 0,
  }
  return { call, subscription }
}

test('builds a session-invitation that the official schema accepts', () => {
  const { call, subscription } = setup()
  const event = createSessionInvitation(call, subscription, AT)
  expect(event).toEqual({
    id: AT.id,
    source: AT.source,
    type: 'org.camaraproject.webrtc-events.v0.session-invitation',
    specversion: '1.0',
    datacontenttype: 'application/json',
    time: '2025-01-01T00:00:01.500Z',
    data: {
      subscriptionId: subscription.id,
      mediaSessionId: call.id,
      originatorAddress: 'tel:+15550002',
      originatorName: 'Bob',
      receiverAddress: 'tel:+15550001',
      status: 'Initial',
      offer: { sdp: 'v=0\r\n' },
      reason: 'Incoming call from Bob',
      sequenceNumber: 1,
    },
  })
  expect(violationsOf(event)).toEqual([])
})

test('puts mediaSessionId and status of a session-status event in data, a valid CloudEvent', () => {
  const { call, subscription } = setup()
  const event = createSessionStatus(
    call,
    subscription,
    { to: 'Ringing', cause: 'client status update' },
    AT,
  )
  expect(event).not.toHaveProperty('mediaSessionId')
  expect(event).not.toHaveProperty('status')
  expect(event).toMatchObject({
    data: { mediaSessionId: call.id, status: 'Ringing', reason: 'client status update' },
  })
  expect(violationsOf(event)).toEqual([])
})

test('leaves addresses the events spec cannot express out of session-status data', () => {
  const { call, subscription } = setup('tel:+15550002', 'urn:service:sos')
  const event = createSessionStatus(
    call,
    subscription,
    { to: 'InProgress', cause: 'network reported InProgress' },
    AT,
  )
  expect(event.data).not.toHaveProperty('receiverAddress')
  expect(event.data.originatorAddress).toBe('tel:+15550002')
  expect(violationsOf(event)).toEqual([])
  expect(isEventAddress('urn:service:sos')).toBe(false)
  expect(isEventAddress('tel:7042;phone-context=example.com')).toBe(false)
  expect(isEventAddress('sip:alice@example.com')).toBe(true)
})

test('builds registration-ends and subscription-ended events that the official schema accepts', () => {
  const { subscription } = setup()
  const registration = {
    id: 'reg-1',
    deviceId: 'device-1',
    subscriber: 'tel:+15550001',
    createdAt: START,
    expiresAt: START + 1,
  }
  const ends = createRegistrationEnds(registration, 'REGISTRATION_EXPIRED', subscription, AT)
  expect(ends.data).toEqual({
    subscriptionId: subscription.id,
    registrationId: 'reg-1',
    terminationReason: 'REGISTRATION_EXPIRED',
    terminationDescription: expect.stringMatching(/register the device again/),
  })
  expect(violationsOf(ends)).toEqual([])
  const ended = createSubscriptionEnded(subscription, 'MAX_EVENTS_REACHED', AT)
  expect(ended.data).toMatchObject({
    subscriptionId: subscription.id,
    terminationReason: 'MAX_EVENTS_REACHED',
  })
  expect(violationsOf(ended)).toEqual([])
})
