/** API faces: each maps its spec's operations to network commands and projects calls. */
export * from './face.js'
export {
  createCallHandlingFace,
  type CallHandlingDeps,
  type MediaSession,
} from './camara-call-handling/index.js'
export {
  createRegistrationFace,
  type RegistrationDeps,
  type RegSession,
} from './camara-registration/index.js'
export {
  createSbcFace,
  customerIdOf,
  type SbcFaceDeps,
  type SbcSession,
  type SbcSessionSummary,
} from './telecomx-sbc/index.js'
export {
  createClick2CallFace,
  parseCallTemplates,
  DEFAULT_CALL_TEMPLATES_FILE,
  type CallTemplate,
  type CallTemplates,
  type Click2CallFaceDeps,
  type Click2CallStatus,
} from './oracle-click2call/index.js'
export {
  createEventsFace,
  HTTPS_OR_LOOPBACK_HTTP,
  type DeviceProblem,
  type SubscriptionDetail,
  type EventsDeps,
  type Subscription,
} from './camara-events/index.js'
export {
  createAdminFace,
  MAX_BATCH_CALLS,
  MAX_LADDER_EXCHANGES,
  type CallHistory,
  type ChangeBatch,
  type ClockStatus,
  type JournalRecord,
  type Control,
  type IncomingCallError,
  type IncomingCallRequest,
  type IssuedToken,
  type TokenRequest,
} from './admin/index.js'
