// The client steps of a scenario once parsed: one type per step kind, as
// spec/callsim-steps.schema.json describes them. client-steps.ts reads them from a file; the
// run-*-step.ts modules play them.
import type { Matcher } from './match-subset.js'

/** Where a step sits in its file, so every message can name file, line and JSON pointer. */
export interface StepOrigin {
  readonly source: string
  readonly pointer: string
  readonly line: number | undefined
}

interface StepBase {
  readonly name: string | undefined
  readonly description: string | undefined
  readonly origin: StepOrigin
}

/** Whose token a request carries. */
export type StepAuth =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'subscriber'
      readonly sub: string
      readonly scope: string | undefined
      readonly claims: Readonly<Record<string, unknown>> | undefined
    }
  | { readonly kind: 'literal'; readonly token: string }

export interface ResponseExpectation {
  readonly status?: number | readonly number[]
  readonly headers?: Readonly<Record<string, Matcher>>
  readonly body?: unknown
  readonly paths?: Readonly<Record<string, Matcher>>
  /** valid: the response must honour the spec; violated: it must break it; any: unchecked. */
  readonly contract: 'valid' | 'violated' | 'any'
  /** The target must drop the connection instead of answering. */
  readonly dropped: boolean
  /** Bounds on how long the answer took (ms): real time, or virtual time advanced while pending. */
  readonly latency?: { readonly atLeastMs?: number; readonly atMostMs?: number }
}

export interface CallbackExpectation {
  readonly headers?: Readonly<Record<string, Matcher>>
  readonly body?: unknown
  readonly paths?: Readonly<Record<string, Matcher>>
}

export type ParamValue = string | number | boolean | readonly (string | number | boolean)[]

export interface RequestStep extends StepBase {
  readonly kind: 'request'
  readonly operationId: string
  readonly auth: StepAuth | undefined
  readonly params: Readonly<Record<string, ParamValue>>
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  readonly rawBody: string | undefined
  readonly timeoutMs: number | undefined
  /** Virtual time to advance (in small steps) while the response is pending; 0: none. */
  readonly advanceMs: number
  readonly expect: ResponseExpectation | undefined
  readonly poll: { readonly timeoutMs: number; readonly intervalMs: number } | undefined
}

export interface WaitStep extends StepBase {
  readonly kind: 'wait'
  readonly durationMs: number
}

/** Subscribes the run's sink to events through the target's WebRTC Events API. */
export interface SubscribeStep extends StepBase {
  readonly kind: 'subscribe'
  readonly eventTypes: readonly string[]
  readonly deviceId: string
  readonly auth: StepAuth | undefined
}

export interface CallbackStep extends StepBase {
  readonly kind: 'callback'
  readonly eventType: string
  readonly timeoutMs: number
  readonly expect: CallbackExpectation | undefined
}

/** One client step of a scenario, as `spec/callsim-steps.schema.json` describes it. */
export type ClientStep = RequestStep | WaitStep | SubscribeStep | CallbackStep
