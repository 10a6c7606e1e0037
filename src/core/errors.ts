import type { CallStatus } from './call.js'
import type { RegistrationEndReason } from './registrations.js'

/**
 * Expected failures of the network, as data. Faces map them to their own error shapes;
 * nothing here knows an HTTP status.
 */
export type CoreError =
  | { kind: 'call-not-found'; callId: string }
  | { kind: 'call-ended'; callId: string; status: CallStatus; requested: string }
  | { kind: 'illegal-transition'; callId: string; from: CallStatus; to: CallStatus; reason: string }
  | { kind: 'status-not-settable'; callId: string; to: CallStatus; reason: string }
  | { kind: 'invalid-address'; field: string; reason: string }
  | {
      kind: 'registration-not-found'
      registrationId: string
      ended?: { reason: RegistrationEndReason; at: number }
    }
  | { kind: 'registration-mismatch'; registrationId: string; reason: string }

/** Thrown only when callsim itself is wrong: a broken invariant, never a user mistake. */
export class InternalError extends Error {
  override readonly name = 'InternalError'
}
