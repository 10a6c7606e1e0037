import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { BASE, CREDENTIAL, TYPES, eventsOf, expectValidEvents, setup } from './setup.js'

test('ends a subscription after its maximum number of events and says so', async () => {
  const { subscribe, placeCall, advance, sink, http, auth, tokens, simulator } = await setup()
  const id = await subscribe(TYPES.status, { subscriptionMaxEvents: 2 })
  await placeCall()
  advance(4000)
  const received = await sink.waitFor(3)
  expectValidEvents(received)
  expect(
    eventsOf(received).map(
      (e) => `${e.type.split('.').at(-1)} ${String(e.data.status ?? e.data.terminationReason)}`,
    ),
  ).toEqual([
    'session-status InProgress',
    'session-status Ringing',
    'subscription-ended MAX_EVENTS_REACHED',
  ])
  expect(eventsOf(received)[2]).toMatchObject({ id: `${id}-3`, data: { subscriptionId: id } })
  expectErrorInfo(
    await http.get(`${BASE}/subscriptions/${id}`).set(auth(tokens.alice)),
    404,
    'NOT_FOUND',
  )
  advance(60_000)
  await simulator.notifier.settled()
  expect(sink.received).toHaveLength(3)
})

test('ends a subscription at its expiry time with SUBSCRIPTION_EXPIRED', async () => {
  const { subscribe, advance, sink } = await setup()
  const id = await subscribe(TYPES.invitation, { subscriptionExpireTime: '2025-01-01T00:10:00Z' })
  advance(10 * 60_000 - 1)
  expect(sink.received).toHaveLength(0)
  advance(1)
  const received = await sink.waitFor(1)
  expectValidEvents(received)
  expect(eventsOf(received)[0]).toMatchObject({
    type: TYPES.ended,
    time: '2025-01-01T00:10:00.000Z',
    data: {
      subscriptionId: id,
      terminationReason: 'SUBSCRIPTION_EXPIRED',
      terminationDescription: expect.stringMatching(/subscriptionExpireTime/),
    },
  })
})

test('ends a subscription when its sink token expires, with ACCESS_TOKEN_EXPIRED', async () => {
  const { createSubscription, subscription, advance, sink } = await setup()
  const created = await createSubscription({
    ...subscription(TYPES.status),
    sinkCredential: { ...CREDENTIAL, accessTokenExpiresUtc: '2025-01-01T00:05:00Z' },
  })
  advance(5 * 60_000)
  const [ended] = eventsOf(await sink.waitFor(1))
  expect(ended).toMatchObject({
    type: TYPES.ended,
    data: { subscriptionId: created.body.id, terminationReason: 'ACCESS_TOKEN_EXPIRED' },
  })
})

test('tells the sink when its subscription is deleted, and sends nothing after', async () => {
  const { subscribe, http, auth, tokens, sink, placeCall, advance, simulator } = await setup()
  const id = await subscribe(TYPES.status)
  await http.delete(`${BASE}/subscriptions/${id}`).set(auth(tokens.alice))
  const [ended] = eventsOf(await sink.waitFor(1))
  expect(ended).toMatchObject({
    type: TYPES.ended,
    data: { subscriptionId: id, terminationReason: 'SUBSCRIPTION_DELETED' },
  })
  await placeCall()
  advance(4000)
  await simulator.notifier.settled()
  expect(sink.received).toHaveLength(1)
  expect(simulator.notifier.backlog()).toBe(0)
})

test("sends registration-ends when the subscribed device's registration expires", async () => {
  const { subscribe, advance, sink, registrationId } = await setup()
  const id = await subscribe(TYPES.registrationEnds)
  // The Registration face's default TTL is one hour.
  advance(3_600_000)
  const received = await sink.waitFor(1)
  expectValidEvents(received)
  expect(eventsOf(received)[0]).toMatchObject({
    type: TYPES.registrationEnds,
    time: '2025-01-01T01:00:00.000Z',
    data: { subscriptionId: id, registrationId, terminationReason: 'REGISTRATION_EXPIRED' },
  })
})

test('sends no registration-ends when the client deletes its own registration', async () => {
  const { subscribe, http, auth, tokens, registrationId, deliveries, simulator } = await setup()
  await subscribe(TYPES.registrationEnds)
  const deleted = await http
    .delete(`/webrtc-registration/vwip/sessions/${registrationId}`)
    .set(auth(tokens.alice))
  expect(deleted.status).toBe(204)
  await simulator.notifier.settled()
  expect((await deliveries()).total).toBe(0)
  expect(simulator.notifier.backlog()).toBe(0)
})
