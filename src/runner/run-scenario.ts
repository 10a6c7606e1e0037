import { formatSpecProblem } from '../contract/index.js'
import { checkSteps } from './check-steps.js'
import type { ClientStep } from './client-step.js'
import { describeStep } from './client-steps.js'
import type { RunnableScenario } from './load-run-file.js'
import { runWait } from './pass-time.js'
import { runCallback } from './run-callback-step.js'
import { runRequest } from './run-request-step.js'
import { runSubscribe, unsubscribe } from './run-subscribe-step.js'
import { StepEnv, type RunContext, type StepFailure, type StepResult } from './step-env.js'

export type { RunContext }

export interface StepOutcome {
  readonly index: number
  readonly label: string
  readonly status: 'passed' | 'failed' | 'skipped'
  readonly failure?: StepFailure
  /** What happened, e.g. `POST /webrtc-call-handling/vwip/sessions → 201 (4 ms)`. */
  readonly summary?: string
  readonly durationMs: number
}

export interface ScenarioOutcome {
  readonly id: string
  readonly source: string
  readonly description: string | undefined
  readonly status: 'passed' | 'failed' | 'skipped'
  /** Why a skipped scenario was not played: it has no steps, or its target cannot play them. */
  readonly skipReason?: string
  readonly steps: readonly StepOutcome[]
  /** Problems found before running (bad steps, unknown scenario); nothing was sent. */
  readonly problems: readonly string[]
  readonly durationMs: number
}

export const NO_STEPS = 'the scenario has no steps'

export const MAX_REAL_WAIT_MS = 5 * 60_000

/** Each step kind is played by its own module. */
function runStep(env: StepEnv, step: ClientStep): Promise<StepResult> {
  switch (step.kind) {
    case 'request':
      return runRequest(env, step)
    case 'wait':
      return runWait(env, step)
    case 'subscribe':
      return runSubscribe(env, step)
    case 'callback':
      return runCallback(env, step)
  }
}

/**
 * On a callsim, the scenario header must name a scenario it has loaded, or every request of the
 * file would be refused; say so once, with what to do, instead of failing the first step.
 */
async function findUnknownScenario(
  scenario: RunnableScenario,
  context: RunContext,
): Promise<string | undefined> {
  const { target } = context
  const kind = await target.describe()
  if (!kind.ok || kind.value.kind !== 'callsim') return undefined
  const known = await target.hasScenario(scenario.id)
  if (!known.ok || known.value !== false) return undefined
  return `${scenario.source}: the callsim at ${target.url} has no scenario "${scenario.id}", which this file's steps need; start it with --scenarios <this file or its folder>.`
}

/**
 * A scenario that times statuses to the millisecond needs a callsim with a virtual clock; on
 * any other target its steps would fail for reasons that say nothing about the target.
 */
async function findMissingClock(
  scenario: RunnableScenario,
  context: RunContext,
): Promise<string | undefined> {
  if (!scenario.needsVirtualClock) return undefined
  const kind = await context.target.describe()
  if (kind.ok && kind.value.kind === 'callsim' && kind.value.clock === 'virtual') return undefined
  const target =
    kind.ok && kind.value.kind === 'callsim'
      ? 'the target callsim runs on the system clock (start it with --clock virtual)'
      : 'the target is not a callsim, so it has no virtual clock to advance'
  return `needs a virtual clock (its steps time statuses to the millisecond); ${target}`
}

/** Plays one step and says how it went; a named step that passed becomes readable by later ones. */
async function playStep(env: StepEnv, step: ClientStep, index: number): Promise<StepOutcome> {
  const label = describeStep(step, index)
  const started = performance.now()
  const result = await runStep(env, step)
  const durationMs = Math.round(performance.now() - started)
  if (!result.ok) {
    return {
      index,
      label,
      status: 'failed',
      failure: result.error,
      durationMs,
      ...(result.error.summary ? { summary: result.error.summary } : {}),
    }
  }
  if (step.name !== undefined && result.value.record) env.scope.set(step.name, result.value.record)
  return {
    index,
    label,
    status: 'passed',
    durationMs,
    ...(result.value.summary ? { summary: result.value.summary } : {}),
  }
}

/**
 * Plays one scenario's steps in order against the run's target; after the first failure the
 * remaining steps are skipped.
 */
export async function runScenario(
  scenario: RunnableScenario,
  context: RunContext,
): Promise<ScenarioOutcome> {
  const started = performance.now()
  const finish = (
    status: ScenarioOutcome['status'],
    steps: StepOutcome[],
    problems: readonly string[] = [],
  ): ScenarioOutcome => ({
    id: scenario.id,
    source: scenario.source,
    description: scenario.description,
    status,
    steps,
    problems,
    durationMs: Math.round(performance.now() - started),
  })
  const skip = (skipReason: string): ScenarioOutcome => ({ ...finish('skipped', []), skipReason })
  if (scenario.steps === undefined) return skip(NO_STEPS)
  const problems = [...scenario.problems, ...checkSteps(scenario.steps, context.catalog)].map(
    formatSpecProblem,
  )
  if (problems.length > 0) return finish('failed', [], problems)
  const missingClock = await findMissingClock(scenario, context)
  if (missingClock !== undefined) return skip(missingClock)
  const unknown = await findUnknownScenario(scenario, context)
  if (unknown !== undefined) return finish('failed', [], [unknown])

  const env = new StepEnv(scenario, context)
  context.sink?.clear()
  const outcomes: StepOutcome[] = []
  let failed = false
  for (const [index, step] of scenario.steps.entries()) {
    const outcome = failed
      ? { index, label: describeStep(step, index), status: 'skipped' as const, durationMs: 0 }
      : await playStep(env, step, index)
    if (outcome.status === 'failed') failed = true
    outcomes.push(outcome)
    context.onStep?.(scenario, outcome)
  }
  await unsubscribe(env)
  return finish(failed ? 'failed' : 'passed', outcomes)
}
