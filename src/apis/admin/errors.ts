import { errorInfo } from '../camara-common/error-info.js'
import type { FaceResponse } from '../face.js'

// The control API answers in CAMARA's ErrorInfo shape ({ status, code, message }), like the
// CAMARA faces, and its protocol errors are theirs (formatCamaraProtocolError). These are the
// errors only the control API sends; docs/errors.md lists them, and a test keeps the two in sync.

/** A body value the spec's schema cannot judge, such as a duration or two equal parties. */
export const invalidArgument = (message: string): FaceResponse =>
  errorInfo(400, 'INVALID_ARGUMENT', message)

export const clockNotVirtual = (message: string): FaceResponse =>
  errorInfo(409, 'CLOCK_NOT_VIRTUAL', message)

export const callNotFound = (callId: string): FaceResponse =>
  errorInfo(
    404,
    'NOT_FOUND',
    `No call ${callId} in the network; it may have passed its retention period.`,
  )

export const journalEntryNotFound = (seq: number): FaceResponse =>
  errorInfo(
    404,
    'NOT_FOUND',
    `No journal entry ${seq}; the journal keeps the last 1000 requests since the last reset.`,
  )

export const scenarioNotFound = (scenarioId: string): FaceResponse =>
  errorInfo(404, 'NOT_FOUND', `No scenario ${scenarioId}; list them with GET /_callsim/scenarios.`)

export const notRegistered = (to: string): FaceResponse =>
  errorInfo(
    409,
    'NOT_REGISTERED',
    `${to} has no registered device, so the network cannot offer it a call. Register a device for it first, or start callsim with --registration optional.`,
  )
