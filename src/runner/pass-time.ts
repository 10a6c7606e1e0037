import { ok, type Result } from '../contract/index.js'
import type { WaitStep } from './client-step.js'
import type { OutgoingRequest } from './build-request.js'
import { sendHttp } from './http-client.js'
import {
  PROGRESS_AFTER_MS,
  fail,
  type StepEnv,
  type StepFailure,
  type StepResult,
} from './step-env.js'
import type { TargetKind } from './target.js'

/** A pending request's virtual time is advanced in steps this big, so its latency is known to this precision. */
const ADVANCE_STEP_MS = 50
/** How long (real time) to watch for a reply being held on the clock before advancing anyway. */
const HOLD_DETECTION_MS = 1_000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export const isVirtual = (kind: TargetKind): boolean =>
  kind.kind === 'callsim' && kind.clock === 'virtual'

/** Lets time pass on the target: at once on a virtual clock, for real otherwise (bounded). */
export async function passTime(
  env: StepEnv,
  ms: number,
  kind: TargetKind,
): Promise<Result<void, StepFailure>> {
  const { context } = env
  if (isVirtual(kind)) {
    const advanced = await context.target.advanceClock(ms)
    return advanced.ok ? advanced : fail('error', [advanced.error])
  }
  if (ms > context.maxRealWaitMs) {
    return fail('error', [
      `wait: ${ms} ms is longer than the ${context.maxRealWaitMs} ms the runner waits in real time; the target has no virtual clock to advance (start callsim with --clock virtual).`,
    ])
  }
  if (ms > PROGRESS_AFTER_MS)
    env.progress(`waiting ${ms} ms in real time: the target has no virtual clock to advance`)
  await sleep(ms)
  return ok(undefined)
}

/** A `wait` step. */
export async function runWait(env: StepEnv, step: WaitStep): Promise<StepResult> {
  const kind = await env.targetKind()
  if (!kind.ok) return kind
  const passed = await passTime(env, step.durationMs, kind.value)
  if (!passed.ok) return passed
  return ok({
    summary: `${isVirtual(kind.value) ? 'advanced the virtual clock' : 'waited'} ${step.durationMs} ms`,
  })
}

/**
 * Sends the request; with `advanceMs`, moves the target's virtual clock in small steps while
 * the answer is pending, and counts the virtual time that passed as the answer's latency.
 */
export async function sendAdvancing(
  env: StepEnv,
  request: OutgoingRequest,
  timeoutMs: number,
  advanceMs: number,
): Promise<{ sent: Awaited<ReturnType<typeof sendHttp>>; advancedMs: number }> {
  if (advanceMs === 0) return { sent: await sendHttp(request, timeoutMs), advancedMs: 0 }
  const { target } = env.context
  const before = await target.pendingTasks()
  const pending = sendHttp(request, timeoutMs)
  let settled = false
  void pending.then(() => (settled = true))
  // Moving the clock before the target has put the reply on it would count time the reply
  // never waited; so first wait (in real time, briefly) until it holds one more task.
  const deadline = performance.now() + HOLD_DETECTION_MS
  while (!settled && before.ok && performance.now() < deadline) {
    const now = await target.pendingTasks()
    if (!now.ok || now.value > before.value) break
    await sleep(1)
  }
  let advancedMs = 0
  while (!settled && advancedMs < advanceMs) {
    const stepMs = Math.min(ADVANCE_STEP_MS, advanceMs - advancedMs)
    const advanced = await target.advanceClock(stepMs)
    if (!advanced.ok) break
    advancedMs += stepMs
    // Let the reply that fell due reach us before the clock moves on.
    await sleep(1)
  }
  return { sent: await pending, advancedMs }
}
