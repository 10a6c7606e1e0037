import type { Faker } from '@faker-js/faker'
import type { Clock } from './clock.js'
import type { DomainEvents } from './domain-events.js'
import type { StateChanges } from './state-changes.js'
import { ExpiryTimers } from './expiry-timers.js'
import { err, ok, type Result } from './result.js'

/** The event types a client can subscribe to (CAMARA WebRTC Events, SubscriptionEventType). */
export type SubscriptionEventType =
  | 'org.camaraproject.webrtc-events.v0.session-status'
  | 'org.camaraproject.webrtc-events.v0.session-invitation'
  | 'org.camaraproject.webrtc-events.v0.registration-ends'

/** Why a subscription ended, spelled as CAMARA's TerminationReason. */
export type SubscriptionEndReason =
  | 'MAX_EVENTS_REACHED'
  | 'NETWORK_TERMINATED'
  | 'SUBSCRIPTION_EXPIRED'
  | 'ACCESS_TOKEN_EXPIRED'
  | 'SUBSCRIPTION_DELETED'

/** The access token callsim presents to the sink (CAMARA AccessTokenCredential). */
export interface SinkCredential {
  readonly accessToken: string
  /** Epoch ms; the subscription ends with ACCESS_TOKEN_EXPIRED at this time. */
  readonly accessTokenExpiresAt: number
}

/** A sink subscribed to one event type for one device of one subscriber. */
export interface Subscription {
  readonly id: string
  /** The subscriber (token `sub`) who subscribed; undefined when the spec takes no token. */
  readonly owner: string | undefined
  readonly deviceId: string
  /** What the client named the device by (registrationId, sessionId), echoed as it was sent. */
  readonly detail: Readonly<Record<string, string>>
  /** One type per subscription: callsim answers multi-type requests with 422, as CAMARA allows. */
  readonly type: SubscriptionEventType
  readonly sink: string
  sinkCredential: SinkCredential | undefined
  readonly createdAt: number
  /** The requested end (config.subscriptionExpireTime), epoch ms. */
  expiresAt: number | undefined
  /** config.subscriptionMaxEvents: after this many events the subscription ends. */
  readonly maxEvents: number | undefined
  readonly initialEvent: boolean | undefined
  /** Events counted towards maxEvents; subscription-ended is not counted. */
  eventCount: number
}

export interface NewSubscription {
  readonly owner: string | undefined
  readonly deviceId: string
  readonly detail?: Readonly<Record<string, string>>
  readonly type: SubscriptionEventType
  readonly sink: string
  readonly sinkCredential?: SinkCredential | undefined
  readonly expiresAt?: number | undefined
  readonly maxEvents?: number | undefined
  readonly initialEvent?: boolean | undefined
}

export interface SubscriptionChange {
  readonly sinkCredential?: SinkCredential | undefined
  readonly expiresAt?: number | undefined
}

/** Expected refusals of the subscription store; faces map them to their error shapes. */
export type SubscriptionError =
  | { readonly kind: 'subscription-not-found'; readonly subscriptionId: string }
  | { readonly kind: 'subscription-exists'; readonly existing: Subscription }
  | { readonly kind: 'subscription-quota'; readonly limit: number }
  | { readonly kind: 'expiry-passed'; readonly expiresAt: number; readonly now: number }
  | { readonly kind: 'credential-expired'; readonly expiresAt: number; readonly now: number }

/**
 * The WebRTC Events list answers at most 100 subscriptions (maxItems), so a subscriber may
 * hold at most that many; the 101st is refused rather than hidden from the list.
 */
export const MAX_SUBSCRIPTIONS_PER_OWNER = 100

export interface SubscriptionsOptions {
  readonly clock: Clock
  /** A faker of its own, so subscribing does not shift the seeded ids of calls. */
  readonly faker: Faker
  readonly events: DomainEvents
  /** Records how to undo each change, while a request's change is open. */
  readonly changes?: StateChanges
}

/**
 * Who wants to hear about what: the network's event subscriptions. Each holds at most one
 * task on the clock, its end (requested expiry or sink token expiry, whichever is first). An
 * ended subscription is forgotten at once and announced with `subscription:ended`, which the
 * notifier turns into the subscription-ended event.
 */
export class Subscriptions {
  private readonly clock: Clock
  private readonly faker: Faker
  private readonly events: DomainEvents
  private readonly active = new Map<string, Subscription>()
  private readonly ends: ExpiryTimers
  private readonly changes: StateChanges | undefined

  constructor(options: SubscriptionsOptions) {
    this.clock = options.clock
    this.faker = options.faker
    this.events = options.events
    this.ends = new ExpiryTimers(options.clock)
    this.changes = options.changes
  }

  get size(): number {
    return this.active.size
  }

  create(input: NewSubscription): Result<Subscription, SubscriptionError> {
    const times = this.checkTimes(input.expiresAt, input.sinkCredential)
    if (!times.ok) return times
    const own = this.list(input.owner)
    // The same sink subscribed twice to the same events would get every event twice.
    const existing = own.find(
      (s) => s.deviceId === input.deviceId && s.type === input.type && s.sink === input.sink,
    )
    if (existing) return err({ kind: 'subscription-exists', existing })
    if (own.length >= MAX_SUBSCRIPTIONS_PER_OWNER)
      return err({ kind: 'subscription-quota', limit: MAX_SUBSCRIPTIONS_PER_OWNER })
    const subscription: Subscription = {
      id: this.uniqueId(),
      owner: input.owner,
      deviceId: input.deviceId,
      detail: input.detail ?? {},
      type: input.type,
      sink: input.sink,
      sinkCredential: input.sinkCredential,
      createdAt: this.clock.now(),
      expiresAt: input.expiresAt,
      maxEvents: input.maxEvents,
      initialEvent: input.initialEvent,
      eventCount: 0,
    }
    this.changes?.record(() => {
      this.ends.cancel(subscription.id)
      this.active.delete(subscription.id)
    })
    this.active.set(subscription.id, subscription)
    this.scheduleEnd(subscription)
    return ok(subscription)
  }

  get(id: string): Subscription | undefined {
    return this.active.get(id)
  }

  /** The subscriptions of one subscriber, oldest first. */
  list(owner: string | undefined): Subscription[] {
    return [...this.active.values()].filter((s) => s.owner === owner)
  }

  all(): IterableIterator<Subscription> {
    return this.active.values()
  }

  /**
   * The subscriptions of `type` that may see an event about `subscriber`: its own ones, and
   * those made without a token (owner undefined), which see everything.
   */
  matching(
    type: SubscriptionEventType,
    subscriber: string | undefined,
    deviceId?: string,
  ): Subscription[] {
    return [...this.active.values()].filter(
      (s) =>
        s.type === type &&
        (s.owner === undefined || s.owner === subscriber) &&
        (deviceId === undefined || s.deviceId === deviceId),
    )
  }

  /**
   * Replaces the sink credential and/or the expiry (CAMARA updateNotificationChannelSubscription);
   * sink, type and device stay as they are.
   */
  update(id: string, change: SubscriptionChange): Result<Subscription, SubscriptionError> {
    const subscription = this.active.get(id)
    if (!subscription) return err({ kind: 'subscription-not-found', subscriptionId: id })
    const times = this.checkTimes(change.expiresAt, change.sinkCredential)
    if (!times.ok) return times
    const { sinkCredential, expiresAt } = subscription
    this.changes?.record(() => {
      Object.assign(subscription, { sinkCredential, expiresAt })
      this.scheduleEnd(subscription)
    })
    if (change.sinkCredential !== undefined) subscription.sinkCredential = change.sinkCredential
    if (change.expiresAt !== undefined) subscription.expiresAt = change.expiresAt
    this.scheduleEnd(subscription)
    return ok(subscription)
  }

  /**
   * Counts an event delivered under the subscription; reaching config.subscriptionMaxEvents
   * ends it (after that event, so the sink sees the event and then subscription-ended).
   */
  countEvent(subscription: Subscription): void {
    const { eventCount } = subscription
    this.changes?.record(() => (subscription.eventCount = eventCount))
    subscription.eventCount += 1
    if (subscription.maxEvents !== undefined && subscription.eventCount >= subscription.maxEvents) {
      this.end(subscription.id, 'MAX_EVENTS_REACHED')
    }
  }

  /** The subscriber deletes its subscription (CAMARA deleteNotificationChannelSubscription). */
  delete(id: string): Result<Subscription, SubscriptionError> {
    return this.end(id, 'SUBSCRIPTION_DELETED')
  }

  /** The network stops a subscription on its own (admin API, scenario). */
  terminate(id: string): Result<Subscription, SubscriptionError> {
    return this.end(id, 'NETWORK_TERMINATED')
  }

  /** Forgets every subscription without announcing it, and cancels their end tasks. */
  reset(): void {
    if (this.changes?.open) {
      const active = [...this.active.values()]
      this.changes.record(() => active.forEach((subscription) => this.reactivate(subscription)))
    }
    this.ends.clear()
    this.active.clear()
  }

  private end(id: string, reason: SubscriptionEndReason): Result<Subscription, SubscriptionError> {
    const subscription = this.active.get(id)
    if (!subscription) return err({ kind: 'subscription-not-found', subscriptionId: id })
    this.changes?.record(() => this.reactivate(subscription))
    this.ends.cancel(id)
    this.active.delete(id)
    this.events.emit({ type: 'subscription:ended', subscription, reason })
    return ok(subscription)
  }

  /** The undo of an end: active again, with its end on the clock. */
  private reactivate(subscription: Subscription): void {
    this.active.set(subscription.id, subscription)
    this.scheduleEnd(subscription)
  }

  /** A requested expiry or a sink token already in the past would end the subscription at once. */
  private checkTimes(
    expiresAt: number | undefined,
    credential: SinkCredential | undefined,
  ): Result<void, SubscriptionError> {
    const now = this.clock.now()
    if (expiresAt !== undefined && expiresAt <= now)
      return err({ kind: 'expiry-passed', expiresAt, now })
    if (credential !== undefined && credential.accessTokenExpiresAt <= now) {
      return err({ kind: 'credential-expired', expiresAt: credential.accessTokenExpiresAt, now })
    }
    return ok(undefined)
  }

  private scheduleEnd(subscription: Subscription): void {
    const expiry = subscription.expiresAt ?? Number.POSITIVE_INFINITY
    const tokenExpiry =
      subscription.sinkCredential?.accessTokenExpiresAt ?? Number.POSITIVE_INFINITY
    const at = Math.min(expiry, tokenExpiry)
    // At a tie the requested expiry is the reason: the client asked for that end.
    const reason: SubscriptionEndReason =
      expiry <= tokenExpiry ? 'SUBSCRIPTION_EXPIRED' : 'ACCESS_TOKEN_EXPIRED'
    this.ends.set(subscription.id, at, () => this.end(subscription.id, reason))
  }

  /** Ids in the shape of the CAMARA examples (`qs15-h556-rt89-1298`), seeded so runs repeat. */
  private uniqueId(): string {
    for (;;) {
      const group = (): string => this.faker.string.alphanumeric({ length: 4, casing: 'lower' })
      const id = `${group()}-${group()}-${group()}-${group()}`
      if (!this.active.has(id)) return id
    }
  }
}
