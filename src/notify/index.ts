/** Outbound callbacks: CAMARA WebRTC Events as CloudEvents, validated, queued per sink and retried. */
export {
  EVENT_TYPES,
  createRegistrationEnds,
  createSessionInvitation,
  createSessionStatus,
  createSubscriptionEnded,
  isEventAddress,
  type CloudEvent,
} from './cloud-event.js'
export {
  createNotifier,
  type DeliveryRecord,
  type Notifier,
  type NotifierOptions,
} from './create-notifier.js'
export {
  CLOUDEVENTS_CONTENT_TYPE,
  DEFAULT_DELIVERY_TIMEOUT_MS,
  deliverEvent,
  type DeliveryOutcome,
  type DeliveryRequest,
} from './deliver-event.js'
export {
  DEFAULT_RETRY_POLICY,
  retryDelay,
  retrySchedule,
  type RetryPolicy,
} from './retry-schedule.js'
