import type { Faker } from '@faker-js/faker'
import type { Clock } from './clock.js'
import type { DomainEvents } from './domain-events.js'
import type { StateChanges } from './state-changes.js'
import type { CoreError } from './errors.js'
import { ExpiryTimers } from './expiry-timers.js'
import { err, ok, type Result } from './result.js'

/**
 * The operator's TTL policy (CAMARA WebRTC Registration, updateRegistrationById: "apply the
 * operator's configured TTL, e.g. 3600 s, from the time of the request").
 */
export const DEFAULT_REGISTRATION_TTL_MS = 3_600_000
/** Requested expiries closer than this are refused (the spec's 400 OUT_OF_RANGE). */
const MIN_REGISTRATION_TTL_MS = 60_000
/** Requested expiries further away than this are capped, as the spec allows. */
export const MAX_REGISTRATION_TTL_MS = 24 * 3_600_000
/** How many ended registrations are remembered, only to explain why an id no longer works. */
const ENDED_MEMORY = 10_000

/** Why a registration stopped: the reasons the WebRTC Events API reports. */
export type RegistrationEndReason = 'NETWORK_TERMINATED' | 'REGISTRATION_EXPIRED' | 'DELETED'

/** A device registered with the network for one subscriber (CAMARA WebRTC Registration). */
export interface Registration {
  readonly id: string
  /** The client-chosen device id (a UUID). */
  readonly deviceId: string
  /** The subscriber (token `sub`, a tel: or sip: URI) the device is registered for. */
  readonly subscriber: string
  readonly createdAt: number
  expiresAt: number
}

/** A registration that has ended, remembered so that errors can say expired rather than unknown. */
export interface EndedRegistration {
  readonly registration: Registration
  readonly reason: RegistrationEndReason
  readonly at: number
}

/** Expected refusals of the registration store. */
export type RegistrationError =
  | {
      readonly kind: 'registration-not-found'
      readonly registrationId: string
      readonly ended?: EndedRegistration
    }
  | { readonly kind: 'registration-exists'; readonly existing: Registration }
  | { readonly kind: 'expiry-too-soon'; readonly requestedAt: number; readonly earliestAt: number }

export interface RegistrationsOptions {
  readonly clock: Clock
  /** A faker of its own, so registering does not shift the seeded ids of calls. */
  readonly faker: Faker
  readonly events: DomainEvents
  readonly defaultTtlMs?: number
  readonly minTtlMs?: number
  readonly maxTtlMs?: number
  /** Records how to undo each change, while a request's change is open. */
  readonly changes?: StateChanges
}

/**
 * The network's device registrations. Each active registration holds exactly one task on
 * the clock, its expiry; refreshing moves it and deleting cancels it, so expiry costs no
 * polling however many devices register.
 */
export class Registrations {
  private readonly clock: Clock
  private readonly faker: Faker
  private readonly events: DomainEvents
  readonly defaultTtlMs: number
  readonly minTtlMs: number
  readonly maxTtlMs: number
  private readonly active = new Map<string, Registration>()
  private readonly expiries: ExpiryTimers
  private readonly ended = new Map<string, EndedRegistration>()
  private readonly changes: StateChanges | undefined

  constructor(options: RegistrationsOptions) {
    this.clock = options.clock
    this.faker = options.faker
    this.events = options.events
    this.expiries = new ExpiryTimers(options.clock)
    this.changes = options.changes
    this.defaultTtlMs = options.defaultTtlMs ?? DEFAULT_REGISTRATION_TTL_MS
    this.minTtlMs = options.minTtlMs ?? MIN_REGISTRATION_TTL_MS
    this.maxTtlMs = options.maxTtlMs ?? MAX_REGISTRATION_TTL_MS
  }

  get size(): number {
    return this.active.size
  }

  /**
   * Registers `deviceId` for `subscriber`. CAMARA allows one active registration per
   * (deviceId, phone number); a second one is refused, never replaced.
   */
  create(
    deviceId: string,
    subscriber: string,
    expiresAt?: number,
  ): Result<Registration, RegistrationError> {
    const existing = this.listByDevice(deviceId).find((r) => r.subscriber === subscriber)
    if (existing) return err({ kind: 'registration-exists', existing })
    const expiry = this.effectiveExpiry(expiresAt)
    if (!expiry.ok) return expiry
    const registration: Registration = {
      id: this.uniqueId(),
      deviceId,
      subscriber,
      createdAt: this.clock.now(),
      expiresAt: expiry.value,
    }
    this.changes?.record(() => {
      this.expiries.cancel(registration.id)
      this.active.delete(registration.id)
    })
    this.active.set(registration.id, registration)
    this.scheduleExpiry(registration)
    return ok(registration)
  }

  get(id: string): Registration | undefined {
    return this.active.get(id)
  }

  /** The active registrations of a device, oldest first. */
  listByDevice(deviceId: string): Registration[] {
    return [...this.active.values()].filter((r) => r.deviceId === deviceId)
  }

  /** The active registrations of a subscriber: where an incoming call can be offered. */
  activeFor(subscriber: string): Registration[] {
    return [...this.active.values()].filter((r) => r.subscriber === subscriber)
  }

  /**
   * Why `id` names no active registration, if callsim still remembers it ended. Faces must
   * check the subscriber before telling a caller, so that ids of others leak nothing.
   */
  endedRegistration(id: string): EndedRegistration | undefined {
    return this.ended.get(id)
  }

  /**
   * Checks the registrationId a caller sends with a new call: it must be active and belong
   * to `subscriber` (undefined when the operation takes no token: any owner will do).
   */
  check(registrationId: string, subscriber: string | undefined): Result<Registration, CoreError> {
    const registration = this.active.get(registrationId)
    if (!registration) {
      const ended = this.ended.get(registrationId)
      // Only the owner learns that its registration ended; anyone else sees an unknown id.
      const own =
        ended !== undefined &&
        (subscriber === undefined || ended.registration.subscriber === subscriber)
      return err(
        own
          ? {
              kind: 'registration-not-found',
              registrationId,
              ended: { reason: ended.reason, at: ended.at },
            }
          : { kind: 'registration-not-found', registrationId },
      )
    }
    if (subscriber !== undefined && registration.subscriber !== subscriber) {
      return err({
        kind: 'registration-mismatch',
        registrationId,
        reason: 'the registration belongs to another subscriber',
      })
    }
    return ok(registration)
  }

  /**
   * Refreshes a registration. The new expiry counts from now, not from the old expiry
   * (CAMARA updateRegistrationById: "newExpire = t_req + TTL_cfg").
   */
  update(id: string, expiresAt?: number): Result<Registration, RegistrationError> {
    const registration = this.active.get(id)
    if (!registration) return err(this.notFound(id))
    const expiry = this.effectiveExpiry(expiresAt)
    if (!expiry.ok) return expiry
    const { expiresAt: previous } = registration
    this.changes?.record(() => {
      registration.expiresAt = previous
      this.scheduleExpiry(registration)
    })
    registration.expiresAt = expiry.value
    this.scheduleExpiry(registration)
    return ok(registration)
  }

  /** The client removes its registration (CAMARA deleteRegistrationById). */
  delete(id: string): Result<Registration, RegistrationError> {
    return this.end(id, 'DELETED')
  }

  /** The network drops a registration on its own, e.g. an operator action in a scenario. */
  terminate(id: string): Result<Registration, RegistrationError> {
    return this.end(id, 'NETWORK_TERMINATED')
  }

  /** Forgets every registration, ended ones included, and cancels their expiry tasks. */
  reset(): void {
    if (this.changes?.open) {
      const active = [...this.active.values()]
      const ended = [...this.ended.values()]
      this.changes.record(() => {
        for (const registration of active) this.reactivate(registration)
        for (const memory of ended) this.ended.set(memory.registration.id, memory)
      })
    }
    this.expiries.clear()
    this.active.clear()
    this.ended.clear()
  }

  private end(id: string, reason: RegistrationEndReason): Result<Registration, RegistrationError> {
    const registration = this.active.get(id)
    if (!registration) return err(this.notFound(id))
    if (this.changes?.open) {
      // remember() may push the oldest memory out to make room.
      const oldest = this.ended.keys().next()
      if (!oldest.done) this.changes.keep(this.ended, oldest.value)
      this.changes.keep(this.ended, id)
      this.changes.record(() => this.reactivate(registration))
    }
    this.expiries.cancel(id)
    this.active.delete(id)
    this.remember({ registration, reason, at: this.clock.now() })
    this.events.emit({ type: 'registration:ended', registration, reason })
    return ok(registration)
  }

  /** The undo of an end: active again, with its expiry on the clock. */
  private reactivate(registration: Registration): void {
    this.active.set(registration.id, registration)
    this.scheduleExpiry(registration)
  }

  private notFound(id: string): RegistrationError {
    const ended = this.ended.get(id)
    return ended
      ? { kind: 'registration-not-found', registrationId: id, ended }
      : { kind: 'registration-not-found', registrationId: id }
  }

  /** Absent: the default TTL. Beyond the maximum: capped. Before the minimum: refused. */
  private effectiveExpiry(requested: number | undefined): Result<number, RegistrationError> {
    const now = this.clock.now()
    if (requested === undefined) return ok(now + this.defaultTtlMs)
    const earliestAt = now + this.minTtlMs
    if (requested < earliestAt)
      return err({ kind: 'expiry-too-soon', requestedAt: requested, earliestAt })
    return ok(Math.min(requested, now + this.maxTtlMs))
  }

  private scheduleExpiry(registration: Registration): void {
    this.expiries.set(registration.id, registration.expiresAt, () =>
      this.end(registration.id, 'REGISTRATION_EXPIRED'),
    )
  }

  private remember(ended: EndedRegistration): void {
    // A Map iterates in insertion order, so the first key is the oldest memory.
    if (this.ended.size >= ENDED_MEMORY) {
      const oldest = this.ended.keys().next()
      if (!oldest.done) this.ended.delete(oldest.value)
    }
    this.ended.set(ended.registration.id, ended)
  }

  /** CAMARA: "a server-allocated registrationId (UUID)"; seeded, so runs repeat. */
  private uniqueId(): string {
    for (;;) {
      const id = this.faker.string.uuid()
      if (!this.active.has(id) && !this.ended.has(id)) return id
    }
  }
}
