import type {
  DeviceProblem,
  SubscriptionDetail,
  IncomingCallError,
  IncomingCallRequest,
  GoverningScenario,
} from '../apis/index.js'
import {
  callbackKey,
  compileCallbacks,
  describeCallbackEvents,
  formatSpecProblem,
  validateCallbackRequest,
  type CompileCache,
  type CompiledSpec,
  type SpecProblem,
} from '../contract/index.js'
import {
  Subscriptions,
  createFaker,
  err,
  ok,
  type Call,
  type Clock,
  type DomainEvents,
  type Network,
  type Registration,
  type Registrations,
  type Result,
  type StateChanges,
} from '../core/index.js'
import type { Journal, Logger } from '../http/index.js'
import {
  CLOUDEVENTS_CONTENT_TYPE,
  createNotifier,
  type DeliveryRecord,
  type Notifier,
} from '../notify/index.js'
import { logDeliveryFailure } from './log-requests.js'
import { StartupError } from './read-sources.js'
import { startIncomingCall } from './start-incoming-call.js'

/** The callback of createNotificationChannelSubscription that every event is sent through. */
const NOTIFICATIONS_CALLBACK = callbackKey('notifications', '{$request.body#/sink}', 'post')

export interface EventsFeatureOptions {
  readonly eventsSpec: CompiledSpec
  readonly clock: Clock
  readonly events: DomainEvents
  /** Each request's changes: subscriptions record how to undo theirs. */
  readonly changes: StateChanges
  readonly network: Network
  readonly registrations: Registrations
  readonly registration: 'required' | 'optional'
  readonly scenarioById: (id: string) => GoverningScenario | undefined
  readonly journal: Journal
  readonly logger: Logger
  readonly seed: number
  readonly strict: boolean
  readonly deliveryTimeoutMs: number
  readonly compileCache: CompileCache
  /** Hears of every delivery attempt recorded (the console's live stream). */
  readonly onDelivery?: (callId: string | undefined) => void
}

export interface EventsFeature {
  /** Examples of the events' callbacks that break their own schema (spec-defects). */
  readonly warnings: readonly SpecProblem[]
  readonly subscriptions: Subscriptions
  readonly notifier: Notifier
  startIncomingCall(
    request: IncomingCallRequest,
  ): Result<{ call: Call; invitedSubscriptions: readonly string[] }, IncomingCallError>
  deliveries(
    limit: number,
    subscriptionId?: string,
  ): { total: number; items: readonly Omit<DeliveryRecord, 'event'>[] }
  /** The delivery attempts of one call's events, each with the CloudEvent sent. */
  deliveriesOfCall(callId: string): readonly DeliveryRecord[]
  reset(): void
  dispose(): void
}

/**
 * Wires the events feature: the subscription store the Events face manages, the notifier
 * that turns domain events into validated CloudEvents, and incoming calls. Subscribing the
 * notifier to the domain events happens here and nowhere else.
 */
export function createEventsFeature(options: EventsFeatureOptions): EventsFeature {
  const { clock, events, journal, logger } = options
  const warnings: SpecProblem[] = []
  const compiled = compileCallbacks(options.eventsSpec.spec, options.compileCache, warnings)
  if (!compiled.ok) throw new StartupError(compiled.error.map(formatSpecProblem))
  const callback = compiled.value.get(NOTIFICATIONS_CALLBACK)
  if (!callback) {
    throw new StartupError([
      `${options.eventsSpec.spec.source}: createNotificationChannelSubscription declares no callbacks.notifications '{$request.body#/sink}' post, so callsim cannot check the events it sends. Use a release of the WebRTC Events spec that declares it.`,
    ])
  }
  // Fakers of their own (seed + 3, + 4), so subscriptions and incoming calls do not shift the seeded call ids.
  const subscriptions = new Subscriptions({
    clock,
    faker: createFaker(options.seed + 3),
    events,
    changes: options.changes,
  })
  const incomingFaker = createFaker(options.seed + 4)
  const notifier = createNotifier({
    clock,
    subscriptions,
    source: options.eventsSpec.spec.basePath || '/',
    served: describeCallbackEvents(options.eventsSpec.spec.document),
    strict: options.strict,
    timeoutMs: options.deliveryTimeoutMs,
    validate: (event) =>
      validateCallbackRequest(callback, { contentType: CLOUDEVENTS_CONTENT_TYPE, body: event }),
    onViolation: (violation, at) => {
      journal.recordViolation(violation, at)
      logger.error({ violation }, 'callsim built an event that breaks the WebRTC Events spec')
    },
    onError: (error) =>
      logger.error({ err: error }, 'callsim failed while settling an event delivery'),
    onRecord: (record) => {
      logDeliveryFailure(logger, record)
      options.onDelivery?.(record.mediaSessionId)
    },
  })
  events.subscribe((event) => notifier.handle(event))

  return {
    warnings,
    subscriptions,
    notifier,
    startIncomingCall: (request) =>
      startIncomingCall(
        {
          network: options.network,
          registrations: options.registrations,
          subscriptions,
          scenarioById: options.scenarioById,
          registration: options.registration,
          faker: incomingFaker,
        },
        request,
      ),
    deliveries: (limit, subscriptionId) => {
      const { total, items } = notifier.deliveries()
      const chosen =
        subscriptionId === undefined
          ? items
          : items.filter((item) => item.subscriptionId === subscriptionId)
      // The CloudEvent itself is for the console's ladder (Control.callHistory), not the list.
      return { total, items: chosen.slice(-limit).map(({ event: _event, ...record }) => record) }
    },
    deliveriesOfCall: (callId) =>
      notifier.deliveries().items.filter((item) => item.mediaSessionId === callId),
    reset: () => {
      subscriptions.reset()
      notifier.reset()
    },
    dispose: () => notifier.dispose(),
  }
}

/**
 * CAMARA WebRTC Events: a subscription needs "a deviceId related to a valid registration"
 * of the subscriber; r1.2 and r2.2 name the registration itself. A device or registration of
 * someone else is a mismatch, not unknown. Answers the device the subscription watches.
 */
export function checkDevice(
  registrations: Registrations,
  detail: SubscriptionDetail,
  subscriber: string | undefined,
): Result<string, DeviceProblem> {
  const mine = (registration: Registration): boolean =>
    subscriber === undefined || registration.subscriber === subscriber
  if (detail.registrationId !== undefined) {
    const registration = registrations.get(detail.registrationId)
    if (!registration) return err('not-registered')
    if (!mine(registration)) return err('registered-to-another')
    // r1.2 names both: they must be the same device.
    if (detail.deviceId !== undefined && detail.deviceId !== registration.deviceId)
      return err('not-registered')
    return ok(registration.deviceId)
  }
  const deviceId = detail.deviceId ?? ''
  const active = registrations.listByDevice(deviceId)
  if (active.some(mine)) return ok(deviceId)
  return err(active.length > 0 ? 'registered-to-another' : 'not-registered')
}
