import {
  parseDuration,
  type CallStatus,
  type Lifecycle,
  type LifecycleAction,
  type LifecycleStep,
} from '../core/index.js'
import type { Report } from './match-request.js'

/** A lifecycle step as written in a scenario file (already checked against the JSON Schema). */
export interface RawStep {
  readonly at?: string | number
  readonly after?: string | number
  readonly status?: CallStatus
  readonly action?:
    'answer' | 'reject' | 'hang-up' | 'hold' | 'resume' | 'renegotiate' | 'incoming-call'
  readonly to?: string
  readonly from?: string
  readonly lifecycle?: readonly RawStep[]
}

const INCOMING_ONLY = ['to', 'from', 'lifecycle'] as const

function toAction(step: RawStep, pointer: string, report: Report): LifecycleAction | undefined {
  if (step.status !== undefined) {
    // Connected means the far end answered, which always comes with its answer SDP.
    return step.status === 'Connected'
      ? { kind: 'answer' }
      : { kind: 'status', status: step.status }
  }
  switch (step.action) {
    case 'reject':
      // SIP 603 Decline: the callee refuses the call (Busy is `status: Busy`, SIP 486).
      return { kind: 'status', status: 'Declined' }
    case 'incoming-call':
      return {
        kind: 'incoming-call',
        to: step.to,
        from: step.from,
        lifecycle: toLifecycle(step.lifecycle ?? [], `${pointer}/lifecycle`, report),
      }
    case undefined:
      return undefined
    default:
      return { kind: step.action }
  }
}

function toStep(step: RawStep, pointer: string, report: Report): LifecycleStep | undefined {
  let ok = true
  const problem = (at: string, message: string): void => {
    ok = false
    report(at, message)
  }
  if ((step.at === undefined) === (step.after === undefined)) {
    problem(
      pointer,
      'give exactly one of `at` (a time from the creation of the call) or `after` (a time from the previous step)',
    )
  }
  if ((step.status === undefined) === (step.action === undefined)) {
    problem(
      pointer,
      'give exactly one of `status` (what the network reports) or `action` (what the far end does)',
    )
  }
  if (step.action !== 'incoming-call') {
    for (const key of INCOMING_ONLY) {
      if (step[key] !== undefined)
        problem(
          `${pointer}/${key}`,
          `\`${key}\` belongs to \`action: incoming-call\` only; remove it or change the action`,
        )
    }
  }
  const delay = parseDuration(step.at ?? step.after ?? 0)
  if (!delay.ok) problem(`${pointer}/${step.at === undefined ? 'after' : 'at'}`, delay.error)
  const action = toAction(step, pointer, report)
  if (!ok || !delay.ok || !action) return undefined
  return { delayMs: delay.value, from: step.at === undefined ? 'previous' : 'creation', action }
}

/**
 * Turns the steps of a scenario file into the core's Lifecycle, reporting every step that
 * cannot be played. The network skips, at run time, a step that no longer fits the call.
 */
export function toLifecycle(steps: readonly RawStep[], pointer: string, report: Report): Lifecycle {
  const compiled: LifecycleStep[] = []
  steps.forEach((step, index) => {
    const converted = toStep(step, `${pointer}/${index}`, report)
    if (converted) compiled.push(converted)
  })
  return { steps: compiled }
}
