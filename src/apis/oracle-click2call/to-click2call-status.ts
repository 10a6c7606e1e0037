import { ESTABLISHED_STATUSES, TERMINAL_STATUSES, type Call } from '../../core/index.js'
import type { Click2CallSession, Click2CallState } from './click2call-sessions.js'

/** CallStatus of spec/oracle/click2call.yaml. */
export interface Click2CallStatus {
  sessionId: string
  callState: Click2CallState
  time?: number
  scheduledTime?: number
  more: 'no' | 'yes' | 'maybe'
  hasChanged: 'yes' | 'no'
}

/** A session's state and when it began (epoch ms); what a status poll reports. */
export interface Click2CallStateView {
  readonly state: Click2CallState
  readonly since?: number
  readonly scheduledFor?: number
}

/**
 * Where the call stands. The network's statuses fold into the guide's states: every setup
 * status (Initial, InProgress, Ringing, Proceeding, Waiting) is `initiated`, an answered call
 * (Connected, Hold, Resume) is `connected`, and every terminal status is `disconnected`.
 */
export function stateOf(session: Click2CallSession, call: Call | undefined): Click2CallStateView {
  if (session.forgotten) return { state: 'unknown' }
  if (session.cancelledAt !== undefined)
    return { state: 'disconnected', since: session.cancelledAt }
  if (session.callId === undefined)
    return { state: 'scheduled', since: session.requestedAt, scheduledFor: session.startAt }
  if (!call) return { state: 'unknown' }
  if (TERMINAL_STATUSES.has(call.status))
    return { state: 'disconnected', since: call.endedAt ?? call.createdAt }
  if (ESTABLISHED_STATUSES.has(call.status))
    return { state: 'connected', since: call.answeredAt ?? call.createdAt }
  return { state: 'initiated', since: call.createdAt }
}

/** The guide's state table: what `more` says in each state when the state is news. */
const MORE: Record<Click2CallState, Click2CallStatus['more']> = {
  unknown: 'maybe',
  scheduled: 'no',
  initiated: 'yes',
  connected: 'yes',
  disconnected: 'no',
}

const seconds = (ms: number): number => Math.floor(ms / 1000)

/**
 * Projects a state for the session's owner, given the state it saw at its previous poll.
 * `hasChanged` is "yes" when the state differs from that one (and on the first poll): a
 * String, as the guide's field table and examples have it, not a JSON boolean;
 * an unchanged state says `more: maybe`, as the guide asks, except `disconnected`, which stays
 * `no` because a call that is over can change no more.
 */
export function toClick2CallStatus(
  sessionId: string,
  view: Click2CallStateView,
  previous: Click2CallState | undefined,
): Click2CallStatus {
  const changed = previous !== view.state
  const more = changed || view.state === 'disconnected' ? MORE[view.state] : 'maybe'
  // Built in the spec's property order. The guide: `time` is absent for unknown, and
  // `scheduledTime` is present only for scheduled.
  return {
    sessionId,
    callState: view.state,
    ...(view.since === undefined ? {} : { time: seconds(view.since) }),
    ...(view.scheduledFor === undefined ? {} : { scheduledTime: seconds(view.scheduledFor) }),
    more,
    hasChanged: changed ? 'yes' : 'no',
  }
}
