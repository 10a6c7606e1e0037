/** API faces: each maps its spec's operations to network commands and projects calls. */
export * from './face.js'
export { toIsoTimestamp } from './iso-timestamp.js'
export { createCallHandlingFace } from './camara-call-handling/index.js'
export { createRegistrationFace } from './camara-registration/index.js'
export { createSbcFace, customerIdOf } from './telecomx-sbc/index.js'
export {
  createClick2CallFace,
  parseCallTemplates,
  DEFAULT_CALL_TEMPLATES_FILE,
  type CallTemplates,
} from './oracle-click2call/index.js'
export {
  createEventsFace,
  HTTPS_OR_LOOPBACK_HTTP,
  type DeviceProblem,
  type SubscriptionDetail,
} from './camara-events/index.js'
export {
  createAdminFace,
  MAX_BATCH_CALLS,
  MAX_LADDER_EXCHANGES,
  type ChangeBatch,
  type ClockStatus,
  type Control,
  type IncomingCallError,
  type IncomingCallRequest,
  type IssuedToken,
  type TokenRequest,
} from './admin/index.js'
