import { expect, test } from 'vitest'
import { registerDevice } from '../../support/register-device.js'
import { startSink } from '../../support/start-sink.js'
import {
  ALICE,
  BASE,
  BOB,
  CALLS,
  OFFER,
  SINK_TOKEN,
  TYPES,
  eventsOf,
  expectValidEvents,
  onCleanup,
  setup,
} from './setup.js'

const BOB_DEVICE = '0b9e0c5e-0d43-4c2a-9c0e-5f1f3c6f2a10'

test('sends session-status events for each step of an outgoing call, in order, with the sink token', async () => {
  const { subscribe, placeCall, advance, sink } = await setup()
  const subscriptionId = await subscribe(TYPES.status)
  const mediaSessionId = await placeCall()
  advance(4000)
  const received = await sink.waitFor(3)
  expectValidEvents(received)
  expect(received.map((r) => r.headers.authorization)).toEqual([
    `Bearer ${SINK_TOKEN}`,
    `Bearer ${SINK_TOKEN}`,
    `Bearer ${SINK_TOKEN}`,
  ])
  const events = eventsOf(received)
  expect(events.map((e) => e.data.status)).toEqual(['InProgress', 'Ringing', 'Connected'])
  expect(events[0]).toEqual({
    id: `${subscriptionId}-1`,
    source: '/webrtc-events/vwip',
    type: TYPES.status,
    specversion: '1.0',
    datacontenttype: 'application/json',
    time: '2025-01-01T00:00:00.200Z',
    data: {
      subscriptionId,
      mediaSessionId,
      originatorAddress: ALICE,
      receiverAddress: BOB,
      receiverName: expect.any(String),
      status: 'InProgress',
      offer: expect.objectContaining({ sdp: expect.any(String) }),
      reason: 'network reported InProgress',
      sequenceNumber: 2,
    },
  })
  expect(events.map((e) => e.data.sequenceNumber)).toEqual([2, 3, 4])
  expect(received.map((r) => r.headers['x-correlator'])).toEqual(events.map((e) => e.id))
})

test('sends a subscriber the events of its own calls only', async () => {
  const { subscribe, placeCall, advance, sink, simulator, subscription, tokens, http } =
    await setup()
  const bobSink = await startSink()
  onCleanup(() => bobSink.close())
  await registerDevice(simulator, BOB, BOB_DEVICE)
  const bobSubscription = await http
    .post(`${BASE}/subscriptions`)
    .set('authorization', `Bearer ${tokens.bob}`)
    .send({
      ...subscription(TYPES.status, { subscriptionDetail: { deviceId: BOB_DEVICE } }),
      sink: bobSink.url,
    })
  expect(bobSubscription.status).toBe(201)
  await subscribe(TYPES.status)
  await placeCall()
  advance(4000)
  await sink.waitFor(3)
  await simulator.notifier.settled()
  expect(bobSink.received).toHaveLength(0)
})

test('leaves out an address the events spec cannot carry, such as an emergency service URN', async () => {
  const { subscribe, advance, sink, http, auth, tokens, registrationId } = await setup()
  await subscribe(TYPES.status)
  const created = await http
    .post(`${CALLS}/sessions`)
    .set(auth(tokens.alice))
    .set('registrationId', registrationId)
    .send({ originatorAddress: ALICE, receiverAddress: 'urn:service:sos', offer: OFFER })
  expect(created.status).toBe(201)
  advance(200)
  const received = await sink.waitFor(1)
  expectValidEvents(received)
  const [event] = eventsOf(received)
  expect(event?.data).toMatchObject({ originatorAddress: ALICE, status: 'InProgress' })
  expect(event?.data).not.toHaveProperty('receiverAddress')
})

test('sends events to a sink without a credential with no Authorization header', async () => {
  const { createSubscription, subscription, placeCall, advance, sink } = await setup()
  const { sinkCredential: _none, ...withoutCredential } = subscription(TYPES.status)
  expect((await createSubscription(withoutCredential)).status).toBe(201)
  await placeCall()
  advance(200)
  const [delivery] = await sink.waitFor(1)
  expect(delivery?.headers.authorization).toBeUndefined()
  expect(delivery?.headers['content-type']).toBe('application/cloudevents+json')
})
