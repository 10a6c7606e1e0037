import type { CallStatus } from './call.js'

/**
 * What the simulated far end (or the network between) does to a call, step by step. The
 * governing scenario supplies it; the network plays it on the clock.
 */
export type LifecycleAction =
  /** The network reports a status, e.g. InProgress (SIP 183), Ringing (180), Busy (486). */
  | { readonly kind: 'status'; readonly status: CallStatus }
  /** The far end answers (200 OK) with a generated answer SDP. */
  | { readonly kind: 'answer' }
  /** The far end hangs up: BYE after the answer, CANCEL before it. */
  | { readonly kind: 'hang-up' }
  | { readonly kind: 'hold' }
  | { readonly kind: 'resume' }
  /** The far end re-negotiates media (re-INVITE) with a new generated SDP. */
  | { readonly kind: 'renegotiate' }
  /**
   * The network offers a new call to the client (call waiting, a call back): to `to`, by
   * default the client's own end of this call, from `from`, by default this call's far end.
   * The new call's caller then plays `lifecycle`.
   */
  | {
      readonly kind: 'incoming-call'
      readonly to: string | undefined
      readonly from: string | undefined
      readonly lifecycle: Lifecycle
    }

export interface LifecycleStep {
  readonly delayMs: number
  /** Whether the delay counts from the previous step or from the creation of the call. */
  readonly from: 'previous' | 'creation'
  readonly action: LifecycleAction
}

export interface Lifecycle {
  readonly steps: readonly LifecycleStep[]
}

/** Origination (docs/architecture.md): Initial → InProgress (183) → Ringing (180) → Connected (200 OK). */
export const DEFAULT_LIFECYCLE: Lifecycle = {
  steps: [
    { delayMs: 200, from: 'previous', action: { kind: 'status', status: 'InProgress' } },
    { delayMs: 800, from: 'previous', action: { kind: 'status', status: 'Ringing' } },
    { delayMs: 3000, from: 'previous', action: { kind: 'answer' } },
  ],
}
