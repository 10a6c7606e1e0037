import { expect, test } from 'vitest'
import {
  DomainEvents,
  MAX_SUBSCRIPTIONS_PER_OWNER,
  Subscriptions,
  VirtualClock,
  createFaker,
  type DomainEvent,
  type NewSubscription,
} from '../../../src/core/index.js'

const START = Date.UTC(2025, 0, 1)
const STATUS = 'org.camaraproject.webrtc-events.v0.session-status'
const INVITATION = 'org.camaraproject.webrtc-events.v0.session-invitation'

function setup() {
  const clock = new VirtualClock(START)
  const events = new DomainEvents()
  const seen: DomainEvent[] = []
  events.subscribe((event) => seen.push(event))
  const subscriptions = new Subscriptions({ clock, faker: createFaker(42), events })
  const input: NewSubscription = {
    owner: 'tel:+15550001',
    deviceId: 'device-1',
    type: STATUS,
    sink: 'https://sink.example.com/events',
  }
  const ended = () =>
    seen.flatMap((event) =>
      event.type === 'subscription:ended' ? [`${event.subscription.id} ${event.reason}`] : [],
    )
  return { clock, subscriptions, input, ended }
}

test('creates subscriptions with seeded ids in the shape of the CAMARA examples', () => {
  const first = setup()
  const second = setup()
  const a = first.subscriptions.create(first.input)
  const b = second.subscriptions.create(second.input)
  expect(a.ok && a.value.id).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}$/)
  expect(a.ok && b.ok && a.value.id === b.value.id).toBe(true)
})

test('ends a subscription at its expiry time and announces SUBSCRIPTION_EXPIRED', () => {
  const { clock, subscriptions, input, ended } = setup()
  const created = subscriptions.create({ ...input, expiresAt: START + 60_000 })
  if (!created.ok) throw new Error('not created')
  clock.advance(59_999)
  expect(subscriptions.get(created.value.id)).toBeDefined()
  clock.advance(1)
  expect(subscriptions.get(created.value.id)).toBeUndefined()
  expect(ended()).toEqual([`${created.value.id} SUBSCRIPTION_EXPIRED`])
  expect(clock.pending()).toBe(0)
})

test('ends a subscription when its sink token expires first', () => {
  const { clock, subscriptions, input, ended } = setup()
  const created = subscriptions.create({
    ...input,
    expiresAt: START + 120_000,
    sinkCredential: { accessToken: 't', accessTokenExpiresAt: START + 30_000 },
  })
  if (!created.ok) throw new Error('not created')
  clock.advance(30_000)
  expect(ended()).toEqual([`${created.value.id} ACCESS_TOKEN_EXPIRED`])
})

test('moves the end when the expiry or the token is updated', () => {
  const { clock, subscriptions, input, ended } = setup()
  const created = subscriptions.create({ ...input, expiresAt: START + 10_000 })
  if (!created.ok) throw new Error('not created')
  expect(subscriptions.update(created.value.id, { expiresAt: START + 20_000 }).ok).toBe(true)
  clock.advance(10_000)
  expect(ended()).toEqual([])
  clock.advance(10_000)
  expect(ended()).toEqual([`${created.value.id} SUBSCRIPTION_EXPIRED`])
})

test('refuses an expiry or a token that is already over, and changes nothing', () => {
  const { clock, subscriptions, input } = setup()
  clock.advance(1000)
  expect(subscriptions.create({ ...input, expiresAt: START + 1000 })).toEqual({
    ok: false,
    error: { kind: 'expiry-passed', expiresAt: START + 1000, now: START + 1000 },
  })
  const created = subscriptions.create(input)
  if (!created.ok) throw new Error('not created')
  const refused = subscriptions.update(created.value.id, {
    sinkCredential: { accessToken: 't', accessTokenExpiresAt: START },
  })
  expect(refused.ok ? undefined : refused.error.kind).toBe('credential-expired')
  expect(subscriptions.get(created.value.id)?.sinkCredential).toBeUndefined()
})

test('ends a subscription after its maximum number of events', () => {
  const { subscriptions, input, ended } = setup()
  const created = subscriptions.create({ ...input, maxEvents: 2 })
  if (!created.ok) throw new Error('not created')
  subscriptions.countEvent(created.value)
  expect(ended()).toEqual([])
  subscriptions.countEvent(created.value)
  expect(ended()).toEqual([`${created.value.id} MAX_EVENTS_REACHED`])
  expect(subscriptions.size).toBe(0)
})

test('refuses the same sink for the same device and type twice, and more than the list can show', () => {
  const { subscriptions, input } = setup()
  const first = subscriptions.create(input)
  const again = subscriptions.create(input)
  expect(again.ok ? undefined : again.error).toEqual({
    kind: 'subscription-exists',
    existing: first.ok ? first.value : undefined,
  })
  for (let n = 1; n < MAX_SUBSCRIPTIONS_PER_OWNER; n += 1)
    subscriptions.create({ ...input, sink: `https://sink.example.com/${n}` })
  const over = subscriptions.create({ ...input, sink: 'https://sink.example.com/one-too-many' })
  expect(over.ok ? undefined : over.error).toEqual({
    kind: 'subscription-quota',
    limit: MAX_SUBSCRIPTIONS_PER_OWNER,
  })
  expect(subscriptions.list(input.owner)).toHaveLength(MAX_SUBSCRIPTIONS_PER_OWNER)
})

test('matches subscriptions by type, subscriber and device', () => {
  const { subscriptions, input } = setup()
  const status = subscriptions.create(input)
  subscriptions.create({ ...input, type: INVITATION })
  subscriptions.create({ ...input, owner: 'tel:+15550002' })
  const ids = (list: { id: string }[]) => list.map((s) => s.id)
  expect(ids(subscriptions.matching(STATUS, 'tel:+15550001'))).toEqual([
    status.ok ? status.value.id : '',
  ])
  expect(subscriptions.matching(STATUS, 'tel:+15550001', 'device-2')).toEqual([])
})

test('deletes with SUBSCRIPTION_DELETED, and reset forgets everything without announcing it', () => {
  const { clock, subscriptions, input, ended } = setup()
  const a = subscriptions.create({ ...input, expiresAt: START + 5000 })
  const b = subscriptions.create({ ...input, sink: 'https://other.example.com/' })
  if (!a.ok || !b.ok) throw new Error('not created')
  subscriptions.delete(b.value.id)
  expect(ended()).toEqual([`${b.value.id} SUBSCRIPTION_DELETED`])
  expect(subscriptions.delete(b.value.id).ok).toBe(false)
  subscriptions.reset()
  clock.advance(10_000)
  expect(ended()).toEqual([`${b.value.id} SUBSCRIPTION_DELETED`])
  expect(subscriptions.size).toBe(0)
})
