import type { Timeline } from './timeline.js'

/** CAMARA SessionStatus, spelled exactly as in the WebRTC Call Handling spec. */
export type CallStatus =
  | 'Initial'
  | 'InProgress'
  | 'Ringing'
  | 'Proceeding'
  | 'Connected'
  | 'Terminated'
  | 'Hold'
  | 'Resume'
  | 'SessionCancelled'
  | 'Declined'
  | 'Failed'
  | 'Waiting'
  | 'NoAnswer'
  | 'NotReachable'
  | 'Busy'

export const CALL_STATUSES: readonly CallStatus[] = [
  'Initial',
  'InProgress',
  'Ringing',
  'Proceeding',
  'Connected',
  'Terminated',
  'Hold',
  'Resume',
  'SessionCancelled',
  'Declined',
  'Failed',
  'Waiting',
  'NoAnswer',
  'NotReachable',
  'Busy',
]

export const TERMINAL_STATUSES: ReadonlySet<CallStatus> = new Set<CallStatus>([
  'Terminated',
  'SessionCancelled',
  'Declined',
  'Failed',
  'NoAnswer',
  'NotReachable',
  'Busy',
])

/** Statuses of a call that has not been answered yet. */
export const SETUP_STATUSES: ReadonlySet<CallStatus> = new Set<CallStatus>([
  'Initial',
  'InProgress',
  'Ringing',
  'Proceeding',
  'Waiting',
])

/** Statuses of an answered, live call. */
export const ESTABLISHED_STATUSES: ReadonlySet<CallStatus> = new Set<CallStatus>([
  'Connected',
  'Hold',
  'Resume',
])

/**
 * Which end of the call the API client holds. An originating call was placed by the client
 * (POST /sessions); a terminating call was offered to the client by the network (incoming).
 * The other end is simulated by the governing scenario.
 */
export type CallSide = 'originating' | 'terminating'

/** Who caused a change: the caller (A), the callee (B) or the network itself (S). */
export type Actor = 'A' | 'B' | 'S'

export interface Sdp {
  readonly sdp?: string
}

export interface Party {
  readonly address: string
  name?: string
}

/** The network's one truth about a call; every face projects it into its own shape. */
export interface Call {
  readonly id: string
  /** The SIP Call-ID the SBC face shows for this call. */
  readonly sipCallId: string
  readonly side: CallSide
  readonly originator: Party
  readonly receiver: Party
  /** The subscriber (token `sub`) on the client's end, if known. */
  readonly owner: string | undefined
  readonly clientCorrelator: string | undefined
  /** The face the call was started through (camara-call-handling, oracle-click2call, admin). */
  readonly via: string | undefined
  readonly scenarioId: string
  readonly createdAt: number
  /**
   * The network's count of calls created before this one: orders calls that share a
   * millisecond (a virtual clock stands still), as an SBC lists sessions in INVITE order.
   */
  readonly sequence: number
  status: CallStatus
  offer: Sdp | undefined
  answer: Sdp | undefined
  callType: 'REGULAR' | 'EMERGENCY' | undefined
  locationDetails: unknown
  answeredAt: number | undefined
  endedAt: number | undefined
  endedBy: Actor | undefined
  /** SIP-level reason of the end: BYE, CANCEL or a SIP status code such as 486. */
  endedReason: string | undefined
  /** When a finished call is forgotten (GET answers 404 from then on). */
  expiresAt: number | undefined
  readonly timeline: Timeline
  /**
   * Seeds the per-call fake data that only some faces show (SBC peers, IPs, ...), so it is
   * stable for the life of the call and generated only when a face asks for it.
   */
  readonly dataSeed: number
}
