import type { Call, Result } from '../../core/index.js'
import type { Activations, Scenario } from '../../scenario/index.js'

export interface ClockStatus {
  readonly kind: 'system' | 'virtual'
  readonly now: number
  readonly pendingTasks: number
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

/**
 * What the control API needs from a running simulator. The composition root implements it;
 * tests and the runner may call it directly.
 */
export interface Control {
  reset(): void
  clock(): ClockStatus
  advanceClock(ms: number): Result<ClockStatus & { fired: number }, string>
  violations(): { total: number; items: readonly object[] }
  journal(limit: number): { total: number; items: readonly object[] }
  calls(): Iterable<Call>
  call(id: string): Call | undefined
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
