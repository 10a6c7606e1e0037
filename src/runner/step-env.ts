import { randomUUID } from 'node:crypto'
import {
  err,
  ok,
  type CompileCache,
  type CompiledCallback,
  type Result,
} from '../contract/index.js'
import type { ExchangeRecord } from './check-expectation.js'
import type { StepAuth } from './client-step.js'
import { createUuidBag, resolveTemplate } from './expressions.js'
import type { RunnableScenario } from './load-run-file.js'
import type { OperationCatalog } from './operation-catalog.js'
import type { StepOutcome } from './run-scenario.js'
import type { Sink } from './sink.js'
import type { Target, TargetKind } from './target.js'
import type { TokenSource } from './token-source.js'

/** What every step needs from the run. */
export interface RunContext {
  readonly target: Target
  readonly catalog: OperationCatalog
  /** What compiles the catalog's callbacks for callback steps: once per run, not per scenario. */
  readonly compileCache: CompileCache
  readonly tokens: TokenSource
  readonly sink: Sink | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly requestTimeoutMs: number
  /** Waits longer than this on a real clock fail instead of holding the run. */
  readonly maxRealWaitMs: number
  readonly onStep?: (scenario: RunnableScenario, outcome: StepOutcome) => void
  /** A line on a step still running: a long wait, a poll that has not settled. */
  readonly onProgress?: (scenario: RunnableScenario, text: string) => void
}

/** Waits and polls say how they are doing once they have taken this long (real time). */
export const PROGRESS_AFTER_MS = 2_000

/** Why a step failed. `failure`: the target did not do what the step expects. `error`: the runner could not check. */
export interface StepFailure {
  readonly type: 'failure' | 'error'
  readonly messages: readonly string[]
  readonly summary?: string | undefined
}

/** What a step that passed leaves behind: the exchange later steps can name, and a summary. */
export interface StepDone {
  readonly record?: ExchangeRecord
  readonly summary?: string
}

export type StepResult = Result<StepDone, StepFailure>

export const fail = (type: StepFailure['type'], messages: readonly string[], summary?: string) =>
  err<StepFailure>({ type, messages, summary })

/**
 * What the steps of one scenario share while it plays: the run, the expression scope that
 * earlier steps fill, and what must be undone or kept for later steps (subscriptions made,
 * callbacks compiled).
 */
export class StepEnv {
  /** What expressions can read: earlier steps by name, and env, scenario, uuid, sink. */
  readonly scope = new Map<string, unknown>()
  /** Subscriptions made by subscribe steps, deleted when the scenario ends. */
  readonly subscriptions: { id: string; auth: StepAuth | undefined }[] = []
  /** The callbacks the specs declare, compiled when the first callback step needs them. */
  callbacks: CompiledCallback[] | undefined

  constructor(
    readonly scenario: RunnableScenario,
    readonly context: RunContext,
  ) {
    this.scope.set('env', context.env)
    this.scope.set('scenario', { id: scenario.id })
    this.scope.set(
      'uuid',
      createUuidBag(() => randomUUID()),
    )
    if (context.sink) this.scope.set('sink', { url: context.sink.url })
  }

  /** Fills in a step's `${…}` expressions from the scope. */
  resolve<T>(value: T): Result<T, StepFailure> {
    const resolved = resolveTemplate(value, this.scope)
    return resolved.ok ? ok(resolved.value as T) : fail('error', resolved.error)
  }

  /** Reports on the step that is running (see RunContext.onProgress). */
  progress(text: string): void {
    this.context.onProgress?.(this.scenario, text)
  }

  async targetKind(): Promise<Result<TargetKind, StepFailure>> {
    const kind = await this.context.target.describe()
    return kind.ok ? kind : fail('error', [kind.error])
  }
}
