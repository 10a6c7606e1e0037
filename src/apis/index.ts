/** API faces: each maps its spec's operations to network commands and projects calls. */
export * from './face.js'
export { createCallHandlingFace, toMediaSession, ANONYMOUS_ADDRESS, type CallHandlingDeps, type MediaSession } from './camara-call-handling/index.js'
export { createRegistrationFace, phoneNumberOf, toRegistration, type RegistrationDeps, type RegSession } from './camara-registration/index.js'
export { createAdminFace, toAdminCall, type ClockStatus, type Control, type IssuedToken, type TokenRequest } from './admin/index.js'
