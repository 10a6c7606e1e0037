import {
  ESTABLISHED_STATUSES,
  SETUP_STATUSES,
  TERMINAL_STATUSES,
  type Call,
  type CallStatus,
} from './call.js'
import type { CoreError } from './errors.js'
import { err, ok, type Result } from './result.js'

/** How a message names the requested change, e.g. "put a Terminated session on Hold". */
const PHRASE: Partial<Record<CallStatus, (session: string) => string>> = {
  Hold: (session) => `put ${session} on Hold`,
  Resume: (session) => `resume ${session}`,
  Connected: (session) => `connect ${session}`,
  Terminated: (session) => `terminate ${session}`,
  SessionCancelled: (session) => `cancel ${session}`,
  Declined: (session) => `decline ${session}`,
}

function describe(from: CallStatus, to: CallStatus): string {
  // "an Initial session", "an InProgress session", "a Ringing session".
  const session = `${/^[AEIOU]/.test(from) ? 'an' : 'a'} ${from} session`
  return PHRASE[to]?.(session) ?? `move ${session} to ${to}`
}

/**
 * The status graph of docs/architecture.md: setup statuses lead to an answer or a failure, an answered
 * call can be held, resumed, re-negotiated or terminated, and a finished call never changes.
 */
export function checkTransition(call: Call, to: CallStatus): Result<void, CoreError> {
  const from = call.status
  const base = { callId: call.id, from, to }
  if (TERMINAL_STATUSES.has(from)) {
    return err({
      kind: 'call-ended',
      callId: call.id,
      status: from,
      requested: `cannot ${describe(from, to)}; the call has already ended`,
    })
  }
  if (SETUP_STATUSES.has(from)) {
    if (to === 'Initial') {
      return err({
        ...base,
        kind: 'illegal-transition',
        reason: 'a session never returns to Initial',
      })
    }
    if (to === 'Hold' || to === 'Resume' || to === 'Terminated') {
      return err({
        ...base,
        kind: 'illegal-transition',
        reason: `cannot ${describe(from, to)}; the call has not been answered yet`,
      })
    }
    return ok(undefined)
  }
  // Established: Connected, Hold or Resume.
  if (ESTABLISHED_STATUSES.has(to)) {
    if (to === 'Hold' && from === 'Hold') {
      return err({ ...base, kind: 'illegal-transition', reason: 'the session is already on Hold' })
    }
    if (to === 'Resume' && from !== 'Hold') {
      return err({
        ...base,
        kind: 'illegal-transition',
        reason: `cannot ${describe(from, to)}; only a session on Hold can be resumed`,
      })
    }
    if (to === 'Connected' && from === 'Hold') {
      return err({
        ...base,
        kind: 'illegal-transition',
        reason: 'cannot move a session on Hold to Connected; Resume it first',
      })
    }
    return ok(undefined)
  }
  if (to === 'Terminated' || to === 'Failed') return ok(undefined)
  return err({
    ...base,
    kind: 'illegal-transition',
    reason: `cannot ${describe(from, to)}; the call has already been answered`,
  })
}

const NETWORK_ONLY: ReadonlySet<CallStatus> = new Set<CallStatus>([
  'Initial',
  'Waiting',
  'Failed',
  'NoAnswer',
  'NotReachable',
])

/** Statuses that the receiving device reports while the call is being set up. */
const RECEIVER_SETUP: ReadonlySet<CallStatus> = new Set<CallStatus>([
  'InProgress',
  'Ringing',
  'Proceeding',
  'Connected',
  'Busy',
  'Declined',
])

/**
 * What the API client may ask for through a status update, on its own end of the call.
 * CAMARA call handling: the receiver reports InProgress, Ringing and Connected while answering;
 * either party may hold, resume or re-negotiate an answered call; ending a call is a DELETE.
 */
export function checkClientStatusRequest(call: Call, to: CallStatus): Result<void, CoreError> {
  const graph = checkTransition(call, to)
  if (!graph.ok) return graph
  const refuse = (reason: string): Result<void, CoreError> =>
    err({ kind: 'status-not-settable', callId: call.id, to, reason })
  if (to === 'Terminated' || to === 'SessionCancelled') {
    return refuse(`${to} cannot be requested with a status update; end the session with DELETE`)
  }
  if (NETWORK_ONLY.has(to)) {
    return refuse(`${to} is reported by the network and cannot be requested by a client`)
  }
  if (SETUP_STATUSES.has(call.status)) {
    if (call.side === 'originating') {
      return refuse(
        `${to} is reported by the receiving side; the originator cannot set it while the call is being set up`,
      )
    }
    if (!RECEIVER_SETUP.has(to)) {
      return refuse(`${to} cannot be requested before the call is answered`)
    }
  }
  return ok(undefined)
}
