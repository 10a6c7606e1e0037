// Over 300 lines on purpose: one closure holds the per-subscription queues, the retry timers
// and the delivery journal, and enqueue, pump, settle and advance all work on that state
// together; spread over files they would need the same state handed to each.
import type { CallbackEvents, Violation } from '../contract/index.js'
import type {
  Call,
  Clock,
  DomainEvent,
  Subscription,
  Subscriptions,
  TimerId,
} from '../core/index.js'
import {
  EVENT_TYPES,
  createRegistrationEnds,
  createSessionInvitation,
  createSessionStatus,
  createSubscriptionEnded,
  type CloudEvent,
  type EventEnvelope,
} from './cloud-event.js'
import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  deliverEvent,
  type DeliveryOutcome,
  type DeliveryRequest,
} from './deliver-event.js'
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry-schedule.js'

/**
 * What became of one delivery attempt, as GET /_callsim/deliveries shows it.
 * - delivered: the sink answered 2xx.
 * - failed: a temporary failure; the next attempt is due at `nextAttemptAt`.
 * - gave-up: a temporary failure and no attempt left; the event is dropped.
 * - rejected: the sink refused the event (3xx or 4xx other than 408/429); it is not retried.
 * - not-sent: the event broke the events spec and strict mode kept it back (a callsim bug).
 */
type DeliveryResult = 'delivered' | 'failed' | 'gave-up' | 'rejected' | 'not-sent'

export interface DeliveryRecord {
  readonly seq: number
  /** Simulator time when the attempt started (ISO 8601). */
  readonly at: string
  readonly subscriptionId: string
  readonly eventId: string
  readonly eventType: string
  readonly mediaSessionId?: string
  readonly sink: string
  /** 1 for the first attempt; 0 for an event that was never sent. */
  readonly attempt: number
  readonly result: DeliveryResult
  readonly status?: number
  readonly error?: string
  /** Real time the attempt took, in milliseconds. */
  readonly latencyMs?: number
  readonly nextAttemptAt?: string
  /** The CloudEvent as it was sent (the console shows it; GET /_callsim/deliveries leaves it out). */
  readonly event: CloudEvent
}

export interface NotifierOptions {
  readonly clock: Clock
  readonly subscriptions: Subscriptions
  /** The CloudEvents `source` of every event: the events face's base path. */
  readonly source: string
  /** Checks an event against the events spec's callback; violations are callsim bugs. */
  readonly validate: (event: CloudEvent) => readonly Violation[]
  readonly onViolation: (violation: Violation, at: string) => void
  /** Keep an event that breaks the spec back instead of sending it. */
  readonly strict: boolean
  readonly timeoutMs?: number
  readonly retry?: RetryPolicy
  /** Hears about callsim's own failures while settling an attempt (a bug, never a sink problem). */
  readonly onError?: (error: unknown) => void
  /** Hears about every delivery record as it is journaled (logged, and the console's stream). */
  readonly onRecord?: (record: DeliveryRecord) => void
  /** Replaces the HTTP POST; the simulator always uses the real one. */
  readonly send?: (request: DeliveryRequest) => Promise<DeliveryOutcome>
  readonly journalCapacity?: number
  /**
   * The served events file's type names and envelope demands (contract describeCallbackEvents);
   * without it, events go out as the development state spells them.
   */
  readonly served?: CallbackEvents
}

/** `subscription-ended` (r2.2, development state) and `subscription-ends` (r1.2) are one event. */
const stemOf = (type: string): string => type.replace(/(ed|s)$/, '')

/**
 * Puts an event in the served file's terms: its spelling of the type, and the envelope
 * attributes a literally read file requires (copied from `data`, where the examples have them).
 */
function toServedShape(event: CloudEvent, served: CallbackEvents | undefined): CloudEvent {
  if (!served) return event
  const type = served.types.includes(event.type)
    ? event.type
    : (served.types.find((candidate) => stemOf(candidate) === stemOf(event.type)) ?? event.type)
  const extras: Record<string, unknown> = {}
  for (const name of served.envelopeAttributes(type)) extras[name] = event.data[name]
  return type === event.type && Object.keys(extras).length === 0
    ? event
    : ({ ...event, type, ...extras } as CloudEvent)
}

export interface Notifier {
  /** Turns a domain event into CloudEvents for the subscriptions that may see it. */
  handle(event: DomainEvent): void
  /** The most recent delivery attempts, oldest first. */
  deliveries(): { readonly total: number; readonly items: readonly DeliveryRecord[] }
  /** Events waiting or in flight, over all subscriptions. */
  backlog(): number
  /** Resolves once no attempt is in flight (retries waiting on the clock do not count). */
  settled(): Promise<void>
  /** Drops every queue and the delivery journal; attempts in flight are aborted. */
  reset(): void
  /** Aborts attempts in flight and stops scheduling; for shutdown. */
  dispose(): void
}

interface QueuedEvent {
  readonly event: CloudEvent
  attempts: number
}

/** One sink's ordered line of events: only its head is ever in flight or waiting to retry. */
interface Queue {
  readonly subscription: Subscription
  readonly items: QueuedEvent[]
  state: 'idle' | 'sending' | 'waiting'
  retryTimer: TimerId | undefined
  /** Event ids are `<subscriptionId>-<n>`: unique within the source, as CloudEvents requires. */
  issued: number
}

const DELIVERY_JOURNAL_CAPACITY = 1000

/**
 * Delivers WebRTC Events callbacks. Each subscription has its own queue, so events of a
 * session reach a sink in the order they happened and a slow sink delays only itself. Sending
 * is fire-and-forget: the API request that caused an event never waits for its delivery.
 * Retries wait on the simulator's clock, so under a virtual clock they happen when the clock
 * is advanced to them.
 */
export function createNotifier(options: NotifierOptions): Notifier {
  const { clock, subscriptions, strict } = options
  const send = options.send ?? deliverEvent
  const timeoutMs = options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS
  const policy = options.retry ?? DEFAULT_RETRY_POLICY
  const capacity = options.journalCapacity ?? DELIVERY_JOURNAL_CAPACITY
  const queues = new Map<string, Queue>()
  const journal: DeliveryRecord[] = []
  const inFlight = new Set<Promise<void>>()
  let total = 0
  let abort = new AbortController()
  // Bumped by reset: answers to attempts started before it are ignored.
  let generation = 0
  let disposed = false

  const iso = (ms: number): string => new Date(ms).toISOString()

  const record = (entry: Omit<DeliveryRecord, 'seq'>): void => {
    total += 1
    const stored = { seq: total, ...entry }
    journal.push(stored)
    if (journal.length > capacity) journal.shift()
    options.onRecord?.(stored)
  }

  const queueFor = (subscription: Subscription): Queue => {
    let queue = queues.get(subscription.id)
    if (!queue) {
      queue = { subscription, items: [], state: 'idle', retryTimer: undefined, issued: 0 }
      queues.set(subscription.id, queue)
    }
    return queue
  }

  const nextEnvelope = (queue: Queue): EventEnvelope => {
    queue.issued += 1
    return {
      id: `${queue.subscription.id}-${queue.issued}`,
      source: options.source,
      time: clock.now(),
    }
  }

  const describeEvent = (queue: Queue, event: CloudEvent) => {
    const base = {
      subscriptionId: queue.subscription.id,
      eventId: event.id,
      eventType: event.type,
      sink: queue.subscription.sink,
      event,
    }
    // Session events carry the session in data (decision 004).
    const mediaSessionId = event.data.mediaSessionId
    return typeof mediaSessionId === 'string' ? { ...base, mediaSessionId } : base
  }

  /** Validates and queues an event; returns false if strict mode kept it back. */
  const enqueue = (queue: Queue, built: CloudEvent): boolean => {
    const event = toServedShape(built, options.served)
    const violations = options.validate(event)
    const at = iso(clock.now())
    for (const violation of violations) options.onViolation(violation, at)
    if (violations.length > 0 && strict) {
      record({
        ...describeEvent(queue, event),
        at,
        attempt: 0,
        result: 'not-sent',
        error: violations.map((v) => v.message).join('; '),
      })
      return false
    }
    queue.items.push({ event, attempts: 0 })
    pump(queue)
    return true
  }

  const forgetIfDone = (queue: Queue): void => {
    if (
      queue.items.length === 0 &&
      queue.state === 'idle' &&
      !subscriptions.get(queue.subscription.id)
    ) {
      queues.delete(queue.subscription.id)
    }
  }

  const pump = (queue: Queue): void => {
    if (disposed || queue.state !== 'idle') return
    const head = queue.items[0]
    if (!head) {
      forgetIfDone(queue)
      return
    }
    queue.state = 'sending'
    head.attempts += 1
    const startedAt = clock.now()
    const started = generation
    const attempt = send({
      url: queue.subscription.sink,
      event: head.event,
      accessToken: queue.subscription.sinkCredential?.accessToken,
      timeoutMs,
      signal: abort.signal,
    }).then((outcome) => {
      if (started !== generation || disposed) return
      settle(queue, head, outcome, startedAt)
    })
    inFlight.add(attempt)
    attempt.then(
      () => inFlight.delete(attempt),
      (error: unknown) => {
        inFlight.delete(attempt)
        options.onError?.(error)
      },
    )
  }

  const settle = (
    queue: Queue,
    head: QueuedEvent,
    outcome: DeliveryOutcome,
    startedAt: number,
  ): void => {
    const base = {
      ...describeEvent(queue, head.event),
      at: iso(startedAt),
      attempt: head.attempts,
      latencyMs: outcome.latencyMs,
    }
    if (outcome.kind === 'delivered') {
      record({ ...base, result: 'delivered', status: outcome.status })
      return advance(queue)
    }
    const status = outcome.status === undefined ? {} : { status: outcome.status }
    if (!outcome.retryable) {
      record({ ...base, ...status, result: 'rejected', error: outcome.error })
      return advance(queue)
    }
    const delay = retryDelay(head.attempts, policy)
    if (delay === undefined) {
      record({
        ...base,
        ...status,
        result: 'gave-up',
        error: `${outcome.error}; gave up after ${head.attempts} attempts`,
      })
      return advance(queue)
    }
    const dueAt = clock.now() + delay
    record({
      ...base,
      ...status,
      result: 'failed',
      error: outcome.error,
      nextAttemptAt: iso(dueAt),
    })
    queue.state = 'waiting'
    queue.retryTimer = clock.schedule(dueAt, () => {
      queue.retryTimer = undefined
      queue.state = 'idle'
      pump(queue)
    })
  }

  const advance = (queue: Queue): void => {
    queue.items.shift()
    queue.state = 'idle'
    pump(queue)
  }

  /** Queues one event per matching subscription, counting it towards subscriptionMaxEvents. */
  const fanOut = (
    matching: readonly Subscription[],
    build: (subscription: Subscription, at: EventEnvelope) => CloudEvent,
  ): void => {
    for (const subscription of matching) {
      // An earlier event of this fan-out may have ended the subscription (max events).
      if (!subscriptions.get(subscription.id)) continue
      const queue = queueFor(subscription)
      if (enqueue(queue, build(subscription, nextEnvelope(queue))))
        subscriptions.countEvent(subscription)
    }
  }

  const ownerOf = (call: Call): string | undefined => call.owner

  return {
    handle(event) {
      if (disposed) return
      switch (event.type) {
        case 'call:incoming':
          fanOut(
            subscriptions.matching(EVENT_TYPES.sessionInvitation, ownerOf(event.call)),
            (subscription, at) => createSessionInvitation(event.call, subscription, at),
          )
          return
        case 'call:status-changed': {
          const cause = event.call.timeline.last().cause
          fanOut(
            subscriptions.matching(EVENT_TYPES.sessionStatus, ownerOf(event.call)),
            (subscription, at) =>
              createSessionStatus(event.call, subscription, { to: event.to, cause }, at),
          )
          return
        }
        case 'registration:ended': {
          // The client deleted the registration itself; registration-ends reports network-side ends only.
          if (event.reason === 'DELETED') return
          const { registration, reason } = event
          fanOut(
            subscriptions.matching(
              EVENT_TYPES.registrationEnds,
              registration.subscriber,
              registration.deviceId,
            ),
            (subscription, at) => createRegistrationEnds(registration, reason, subscription, at),
          )
          return
        }
        case 'subscription:ended': {
          const queue = queueFor(event.subscription)
          enqueue(
            queue,
            createSubscriptionEnded(event.subscription, event.reason, nextEnvelope(queue)),
          )
          return
        }
        default:
          return
      }
    },
    deliveries: () => ({ total, items: [...journal] }),
    backlog: () => [...queues.values()].reduce((sum, queue) => sum + queue.items.length, 0),
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
    reset() {
      generation += 1
      abort.abort()
      abort = new AbortController()
      for (const queue of queues.values()) {
        if (queue.retryTimer !== undefined) clock.cancel(queue.retryTimer)
      }
      queues.clear()
      journal.length = 0
      total = 0
    },
    dispose() {
      disposed = true
      abort.abort()
      for (const queue of queues.values()) {
        if (queue.retryTimer !== undefined) clock.cancel(queue.retryTimer)
      }
      queues.clear()
    },
  }
}
