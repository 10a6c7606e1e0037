import type { Call, Result } from '../../core/index.js'
import type { Activations, Scenario } from '../../scenario/index.js'

export interface ClockStatus {
  readonly kind: 'system' | 'virtual'
  readonly now: number
  readonly pendingTasks: number
  /** When the earliest pending task falls due (a virtual clock's next step). */
  readonly nextDueAt?: number | undefined
}

export interface TokenRequest {
  readonly sub: string
  readonly scope?: string | undefined
  readonly expiresInMs?: number | undefined
  readonly claims?: Readonly<Record<string, unknown>> | undefined
}

export interface IssuedToken {
  readonly token: string
  readonly sub: string
  readonly scope: string
  readonly expiresAt: number
}

/** An incoming call the network offers to `to` (POST /_callsim/calls/incoming). */
export interface IncomingCallRequest {
  readonly from: string
  readonly to: string
  readonly fromName?: string | undefined
  /** The caller's SDP offer; generated when absent. */
  readonly offer?: { readonly sdp?: string } | undefined
  /** A scenario id, resolved like an x-callsim-scenario header; it decides what the caller does. */
  readonly scenario?: string | undefined
  /** Without a scenario: the caller gives up (SessionCancelled) this long after the offer. */
  readonly cancelAfterMs?: number | undefined
  /** Without a scenario: the network stops ringing (NoAnswer) this long after the offer. */
  readonly noAnswerAfterMs?: number | undefined
}

export type IncomingCallError =
  | { readonly kind: 'not-registered'; readonly to: string }
  | { readonly kind: 'unknown-scenario'; readonly scenario: string }

/** One journal entry, as far as the control API filters it (GET /_callsim/journal). */
export interface JournalRecord {
  readonly seq: number
  readonly face: string | undefined
  readonly operationId: string | undefined
  readonly status: number
  readonly requestViolations: readonly unknown[]
  readonly responseViolations: readonly unknown[]
  readonly callId?: string | undefined
}

/**
 * What changed in the simulator since the last batch: what GET /_callsim/stream sends, so a
 * watcher (the web console) re-reads only what changed. Batches are at least
 * CHANGE_BATCH_DELAY_MS apart, and up to MAX_CHANGE_BATCH_DELAY_MS under sustained change,
 * which bounds a watcher's cost under load.
 */
export interface ChangeBatch {
  /** Calls created or changed, at most MAX_BATCH_CALLS of them. */
  readonly calls: readonly string[]
  /** More calls changed than `calls` lists. */
  readonly moreCalls: boolean
  /** A call was created or expired: the list's pages and totals moved, not only its rows. */
  readonly createdOrExpired: boolean
  /**
   * Calls whose ladder gained a request or an event delivery, at most MAX_BATCH_CALLS of them
   * (a call in `calls` changed its ladder too), so a watcher re-reads only the ladder it shows.
   */
  readonly ladders: readonly string[]
  /** More ladders changed than `ladders` lists. */
  readonly moreLadders: boolean
  /** New journal entries or violations; the control API's own requests do not count. */
  readonly journal: boolean
  readonly deliveries: boolean
  readonly scenarios: boolean
  /** The simulator was reset. */
  readonly reset: boolean
  readonly clock: ClockStatus
  /**
   * Only for a watcher that named a call (GET /stream?call=…): whether that call changed or its
   * ladder gained a request or a delivery, however many other calls changed.
   */
  readonly callChanged?: boolean
}

/**
 * The most call ids a batch names in each list: a page of the console's list and then some. A
 * load test changes calls by the hundred in one batch; naming them all made each batch tens of
 * kilobytes that a watcher of one ladder does not need, as it names its call (`callChanged`).
 */
export const MAX_BATCH_CALLS = 100

/**
 * The most exchanges one ladder carries, the newest. A call that a client polls hard has up to
 * the journal's 1000 requests, bodies included; a watcher re-reads the ladder on every batch,
 * and more arrows than this are not legible anyway.
 */
export const MAX_LADDER_EXCHANGES = 100

/** Everything one call's ladder diagram shows: the call, its exchanges and its events. */
interface CallHistory {
  readonly call: Call
  /** Journal entries about the call, bodies included, oldest first (the journal keeps 1000). */
  readonly exchanges: readonly object[]
  /** Older exchanges about the call the journal still keeps but the ladder leaves out. */
  readonly omittedExchanges: number
  /** Delivery attempts of the call's events, each with the CloudEvent sent. */
  readonly deliveries: readonly object[]
}

/**
 * What the control API needs from a running simulator. The composition root implements it;
 * tests and the runner may call it directly.
 */
export interface Control {
  reset(): void
  clock(): ClockStatus
  advanceClock(ms: number): Result<ClockStatus & { fired: number }, string>
  violations(): { total: number; items: readonly object[] }
  /** The last `limit` recorded requests (all kept without it), oldest first; bodies only `withBodies`. */
  journal(limit?: number, withBodies?: boolean): { total: number; items: readonly JournalRecord[] }
  /** Every call, in the order they were made. */
  calls(): Iterable<Call>
  /** Every call, the newest first, each step O(1), so a page of the newest costs its size. */
  newestCalls(): Iterable<Call>
  callCount(): number
  call(id: string): Call | undefined
  callHistory(id: string): CallHistory | undefined
  /**
   * Calls `listener` with each batch of changes until the returned function is called; with
   * `callId`, each batch says whether that call changed (`callChanged`).
   */
  watch(listener: (batch: ChangeBatch) => void, callId?: string): () => void
  issueToken(request: TokenRequest): Promise<IssuedToken>
  /** Every loaded scenario, in id order. */
  scenarios(): readonly Scenario[]
  scenario(id: string): Scenario | undefined
  scenarioActivations(): Activations
  /** Makes a scenario govern every request, or one subscriber's, that no header or match claims. */
  activateScenario(id: string, subscriber?: string): Result<Activations, string>
  /** Returns whether a scenario was active there. */
  deactivateScenario(subscriber?: string): boolean
  /**
   * With `--admin-token`, the reason a control request is refused (a missing or wrong bearer
   * token); undefined when it may go on.
   */
  refuseAdmin(authorization: unknown): string | undefined
  /** Offers a network-originated call; the callee's invitation subscriptions are notified. */
  startIncomingCall(
    request: IncomingCallRequest,
  ): Result<{ call: Call; invitedSubscriptions: readonly string[] }, IncomingCallError>
  /** The most recent event delivery attempts, optionally of one subscription. */
  deliveries(limit: number, subscriptionId?: string): { total: number; items: readonly object[] }
}
