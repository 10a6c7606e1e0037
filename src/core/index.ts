/** The pure simulated network: calls, their status machine, the clock and seeded data. */
export * from './call.js'
export { Timeline } from './timeline.js'
export { checkClientStatusRequest, checkTransition } from './call-transitions.js'
export {
  DEFAULT_VIRTUAL_EPOCH_MS,
  LATEST_VIRTUAL_MS,
  QueuedClock,
  VirtualClock,
  type Clock,
  type Timer,
  type TimerId,
} from './clock.js'
export { DomainEvents, type DomainEvent } from './domain-events.js'
export { StateChanges } from './state-changes.js'
export { InternalError, type CoreError } from './errors.js'
export { SeededSdp, createFaker, createSdp, createSipCallId } from './fake-data.js'
export {
  DEFAULT_LIFECYCLE,
  type Lifecycle,
  type LifecycleAction,
  type LifecycleStep,
} from './lifecycle.js'
export { DEFAULT_RETENTION_MS, Network, type NewCall } from './network.js'
export { createRandom, type Random } from './random.js'
export {
  DEFAULT_REGISTRATION_TTL_MS,
  MAX_REGISTRATION_TTL_MS,
  Registrations,
  type EndedRegistration,
  type Registration,
  type RegistrationEndReason,
  type RegistrationError,
} from './registrations.js'
export { err, ok, type Result } from './result.js'
export {
  MAX_SUBSCRIPTIONS_PER_OWNER,
  Subscriptions,
  type NewSubscription,
  type SinkCredential,
  type Subscription,
  type SubscriptionEndReason,
  type SubscriptionError,
  type SubscriptionEventType,
} from './subscriptions.js'
export { CallbackTimer, TimerQueue } from './timer-queue.js'
export { parseDuration } from './duration.js'
