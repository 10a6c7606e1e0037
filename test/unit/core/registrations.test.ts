import { expect, test } from 'vitest'
import {
  DEFAULT_REGISTRATION_TTL_MS,
  DomainEvents,
  MAX_REGISTRATION_TTL_MS,
  Registrations,
  VirtualClock,
  createFaker,
  type DomainEvent,
} from '../../../src/core/index.js'

const DEVICE = '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11'
const OTHER_DEVICE = '9b2d7e41-0c3a-4f6b-8e15-7a9c2d4b6f80'
const ALICE = 'tel:+15550001'
const BOB = 'tel:+15550002'

function setup(seed = 42) {
  const clock = new VirtualClock()
  const events = new DomainEvents()
  const ended: DomainEvent[] = []
  events.subscribe((event) => {
    if (event.type === 'registration:ended') ended.push(event)
  })
  const registrations = new Registrations({ clock, faker: createFaker(seed), events })
  const create = (deviceId = DEVICE, subscriber = ALICE, expiresAt?: number) => {
    const created = registrations.create(deviceId, subscriber, expiresAt)
    if (!created.ok) throw new Error(`setup: ${created.error.kind}`)
    return created.value
  }
  return { clock, registrations, ended, create }
}

test('creates a registration with a UUID id and the default TTL on the clock', () => {
  const { clock, registrations, create } = setup()
  const registration = create()
  expect(registration.id).toMatch(
    /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  )
  expect(registration).toMatchObject({
    deviceId: DEVICE,
    subscriber: ALICE,
    createdAt: clock.now(),
  })
  expect(registration.expiresAt).toBe(clock.now() + DEFAULT_REGISTRATION_TTL_MS)
  expect(registrations.get(registration.id)).toBe(registration)
  expect(clock.pending()).toBe(1)
})

test('generates the same registration ids for the same seed', () => {
  const first = setup(7).create().id
  const second = setup(7).create().id
  const other = setup(8).create().id
  expect(second).toBe(first)
  expect(other).not.toBe(first)
})

test('refuses a second registration of the same device and subscriber', () => {
  const { registrations, create } = setup()
  const existing = create()
  const again = registrations.create(DEVICE, ALICE)
  expect(again).toEqual({ ok: false, error: { kind: 'registration-exists', existing } })
  expect(registrations.size).toBe(1)
})

test('lets one device register for several subscribers and lists them by device', () => {
  const { registrations, create } = setup()
  const alice = create(DEVICE, ALICE)
  const bob = create(DEVICE, BOB)
  const elsewhere = create(OTHER_DEVICE, ALICE)
  expect(registrations.listByDevice(DEVICE)).toEqual([alice, bob])
  expect(registrations.listByDevice(OTHER_DEVICE)).toEqual([elsewhere])
  expect(registrations.activeFor(ALICE)).toEqual([alice, elsewhere])
  expect(registrations.activeFor('tel:+15559999')).toEqual([])
})

test('caps a requested expiry at the maximum and refuses one below the minimum', () => {
  const { clock, registrations } = setup()
  const far = registrations.create(DEVICE, ALICE, clock.now() + 7 * 24 * 3_600_000)
  expect(far.ok && far.value.expiresAt).toBe(clock.now() + MAX_REGISTRATION_TTL_MS)
  const soon = registrations.create(OTHER_DEVICE, ALICE, clock.now() + 1_000)
  expect(soon).toEqual({
    ok: false,
    error: {
      kind: 'expiry-too-soon',
      requestedAt: clock.now() + 1_000,
      earliestAt: clock.now() + 60_000,
    },
  })
  const exact = registrations.create(OTHER_DEVICE, ALICE, clock.now() + 120_000)
  expect(exact.ok && exact.value.expiresAt).toBe(clock.now() + 120_000)
})

test('expires a registration on the clock and emits registration:ended once', () => {
  const { clock, registrations, ended, create } = setup()
  const registration = create()
  clock.advance(DEFAULT_REGISTRATION_TTL_MS - 1)
  expect(registrations.get(registration.id)).toBeDefined()
  expect(ended).toEqual([])
  clock.advance(1)
  expect(registrations.get(registration.id)).toBeUndefined()
  expect(registrations.listByDevice(DEVICE)).toEqual([])
  expect(ended).toEqual([
    { type: 'registration:ended', registration, reason: 'REGISTRATION_EXPIRED' },
  ])
  expect(clock.pending()).toBe(0)
  expect(registrations.endedRegistration(registration.id)).toEqual({
    registration,
    reason: 'REGISTRATION_EXPIRED',
    at: registration.expiresAt,
  })
})

test('refreshing counts the new expiry from now and moves the one expiry task', () => {
  const { clock, registrations, ended, create } = setup()
  const registration = create()
  clock.advance(50 * 60_000)
  const refreshed = registrations.update(registration.id)
  expect(refreshed.ok && refreshed.value.expiresAt).toBe(clock.now() + DEFAULT_REGISTRATION_TTL_MS)
  expect(clock.pending()).toBe(1)
  // The original expiry time passes without ending the refreshed registration.
  clock.advance(20 * 60_000)
  expect(registrations.get(registration.id)).toBeDefined()
  expect(ended).toEqual([])
  clock.advance(40 * 60_000)
  expect(registrations.get(registration.id)).toBeUndefined()
  expect(ended).toHaveLength(1)
})

test('refuses to refresh an unknown or too-short registration and leaves it unchanged', () => {
  const { clock, registrations, create } = setup()
  const registration = create()
  const before = registration.expiresAt
  expect(registrations.update('no-such-id')).toEqual({
    ok: false,
    error: { kind: 'registration-not-found', registrationId: 'no-such-id' },
  })
  const tooSoon = registrations.update(registration.id, clock.now() + 5_000)
  expect(tooSoon.ok).toBe(false)
  expect(registration.expiresAt).toBe(before)
  expect(clock.pending()).toBe(1)
})

test('deleting cancels the expiry task and emits DELETED', () => {
  const { clock, registrations, ended, create } = setup()
  const registration = create()
  expect(registrations.delete(registration.id)).toEqual({ ok: true, value: registration })
  expect(clock.pending()).toBe(0)
  expect(ended).toEqual([{ type: 'registration:ended', registration, reason: 'DELETED' }])
  clock.advance(2 * DEFAULT_REGISTRATION_TTL_MS)
  expect(ended).toHaveLength(1)
  const again = registrations.delete(registration.id)
  expect(again.ok).toBe(false)
  expect(!again.ok && again.error).toMatchObject({
    kind: 'registration-not-found',
    ended: { reason: 'DELETED' },
  })
})

test('a network termination ends the registration with NETWORK_TERMINATED', () => {
  const { registrations, ended, create } = setup()
  const registration = create()
  expect(registrations.terminate(registration.id).ok).toBe(true)
  expect(ended).toEqual([
    { type: 'registration:ended', registration, reason: 'NETWORK_TERMINATED' },
  ])
})

test('a device may register again after its registration ended', () => {
  const { registrations, create } = setup()
  const first = create()
  registrations.delete(first.id)
  const second = create()
  expect(second.id).not.toBe(first.id)
})

test('checks a registrationId: active and own, another subscriber, ended, unknown', () => {
  const { clock, registrations, create } = setup()
  const registration = create()
  expect(registrations.check(registration.id, ALICE)).toEqual({ ok: true, value: registration })
  expect(registrations.check(registration.id, undefined)).toEqual({ ok: true, value: registration })
  expect(registrations.check(registration.id, BOB)).toEqual({
    ok: false,
    error: {
      kind: 'registration-mismatch',
      registrationId: registration.id,
      reason: 'the registration belongs to another subscriber',
    },
  })
  expect(registrations.check('reg-1', ALICE)).toEqual({
    ok: false,
    error: { kind: 'registration-not-found', registrationId: 'reg-1' },
  })
  clock.advance(DEFAULT_REGISTRATION_TTL_MS)
  expect(registrations.check(registration.id, ALICE)).toEqual({
    ok: false,
    error: {
      kind: 'registration-not-found',
      registrationId: registration.id,
      ended: { reason: 'REGISTRATION_EXPIRED', at: registration.expiresAt },
    },
  })
  // Another subscriber is not told that someone else's registration existed.
  expect(registrations.check(registration.id, BOB)).toEqual({
    ok: false,
    error: { kind: 'registration-not-found', registrationId: registration.id },
  })
})

test('reset forgets every registration and cancels every expiry task without events', () => {
  const { clock, registrations, ended, create } = setup()
  const registration = create()
  create(OTHER_DEVICE)
  registrations.reset()
  expect(registrations.size).toBe(0)
  expect(clock.pending()).toBe(0)
  expect(registrations.endedRegistration(registration.id)).toBeUndefined()
  clock.advance(2 * DEFAULT_REGISTRATION_TTL_MS)
  expect(ended).toEqual([])
})
