import { formatSpecProblem, type CompiledPattern, type SpecProblem } from '../contract/index.js'
import type { Lifecycle } from '../core/index.js'

/** The header that names the governing scenario of one request explicitly. */
export const SCENARIO_HEADER = 'x-callsim-scenario'

/** The scenario that governs a request when nothing else selects one. */
export const DEFAULT_SCENARIO_ID = 'default'

/** One test on a value of the request (a header, a body member, the remote address). */
export type ValueMatcher =
  | { readonly kind: 'equal-to'; readonly value: unknown }
  | { readonly kind: 'matches'; readonly pattern: CompiledPattern }
  | { readonly kind: 'present'; readonly present: boolean }

export interface HeaderMatcher {
  /** Lower-case, as Node hands over header names. */
  readonly name: string
  readonly matcher: ValueMatcher
}

export interface BodyMatcher {
  /** The JSON pointer as written, for messages. */
  readonly pointer: string
  readonly segments: readonly string[]
  readonly matcher: ValueMatcher
}

/** Request data tests; every one given must pass. */
export interface RequestMatcher {
  readonly remoteAddress: ValueMatcher | undefined
  readonly headers: readonly HeaderMatcher[]
  readonly body: readonly BodyMatcher[]
}

/** Latency as written in a fault rule: drawn anew for each request it delays. */
export type DelaySpec =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }

/** What a fault rule does to a request, after its delay (if any). */
export type FaultResponse =
  | {
      readonly kind: 'respond'
      readonly status: number
      readonly code: string
      readonly message: string
    }
  | { readonly kind: 'drop-connection' }
  | { readonly kind: 'malformed-body'; readonly status: number }

/**
 * A decided fault, carried out by the HTTP shell on the socket: the scenario layer only
 * decides (faults as data: docs/architecture.md, the request path).
 */
export type FaultAction = { readonly kind: 'delay'; readonly ms: number } | FaultResponse

interface FaultConditions {
  readonly nth: number | undefined
  readonly first: number | undefined
  readonly every: number | undefined
  readonly probability: number | undefined
  readonly headers: readonly HeaderMatcher[]
  readonly body: readonly BodyMatcher[]
}

export interface FaultRule {
  /** Position in the scenario's `faults` list. */
  readonly index: number
  readonly name: string | undefined
  /** operationIds the rule applies to; undefined means every operation. */
  readonly operations: ReadonlySet<string> | undefined
  readonly when: FaultConditions
  readonly delay: DelaySpec | undefined
  readonly response: FaultResponse | undefined
  /** The injected response may break the operation's contract on purpose. */
  readonly undeclared: boolean
}

/** Where a scenario was defined, for messages and the listing. */
interface ScenarioOrigin {
  /** The file as the user named it (relative to the working directory when possible). */
  readonly source: string
  readonly line: number | undefined
  /** JSON pointer of the scenario inside its file: `` for a one-scenario file. */
  readonly pointer: string
  /** The line of any JSON pointer of the file, for problems found after loading. */
  readonly lineOf: (pointer: string) => number | undefined
}

/** A compiled scenario: everything is parsed, so nothing on the hot path reads YAML. */
export interface Scenario {
  readonly id: string
  readonly description: string
  readonly origin: ScenarioOrigin
  readonly match: RequestMatcher | undefined
  readonly lifecycle: Lifecycle
  readonly faults: readonly FaultRule[]
  /** Client steps for `callsim run`; the simulator keeps them only to show them. */
  readonly steps: readonly object[]
  /** The scenario as written (JSON-compatible), for the control API. */
  readonly definition: unknown
}

/**
 * A problem with a scenario file, reported with every other one at start-up or reload: a
 * place in a user file, like a spec file's problem, and printed the same way.
 */
export type ScenarioProblem = SpecProblem

export const formatScenarioProblem: (problem: ScenarioProblem) => string = formatSpecProblem
