import { compileCallbacks, ok, validateCallbackRequest, type Violation } from '../contract/index.js'
import { formatViolation } from './check-contract.js'
import { checkResponse, type ExchangeRecord } from './check-expectation.js'
import type { CallbackStep } from './client-step.js'
import type { ReceivedCallback } from './sink.js'
import { fail, type StepEnv, type StepResult } from './step-env.js'

const typeOf = (event: ReceivedCallback): unknown =>
  typeof event.body === 'object' && event.body !== null
    ? (event.body as { type?: unknown }).type
    : undefined

const recordOf = (event: ReceivedCallback): ExchangeRecord => ({
  headers: event.headers,
  body: event.body,
})

/** Violations of a received event against the callbacks the specs declare (the best fit wins). */
function validateCallback(env: StepEnv, event: ReceivedCallback): Violation[] {
  if (event.parseError !== undefined) {
    return [
      {
        direction: 'callback',
        operationId: 'callback',
        location: 'body',
        path: 'body',
        keyword: 'json',
        message: `the callback body is not valid JSON (${event.parseError})`,
      },
    ]
  }
  env.callbacks ??= env.context.catalog.specs.flatMap((spec) => {
    const compiled = compileCallbacks(spec.spec, env.context.compileCache)
    return compiled.ok ? [...compiled.value.values()] : []
  })
  let best: Violation[] | undefined
  for (const callback of env.callbacks) {
    const violations = validateCallbackRequest(callback, {
      contentType: event.contentType,
      body: event.body,
    })
    if (best === undefined || violations.length < best.length) best = violations
    if (violations.length === 0) break
  }
  return best ?? []
}

/** A `callback` step: waits at the run's sink for an event of the type that meets the expectation. */
export async function runCallback(env: StepEnv, step: CallbackStep): Promise<StepResult> {
  const sink = env.context.sink
  if (!sink)
    return fail('error', ['callback: the run has no sink; this is a callsim bug, please report it'])
  const resolved = env.resolve(step.expect)
  if (!resolved.ok) return resolved
  const expect = resolved.value
  const event = await sink.take(
    (candidate) =>
      typeOf(candidate) === step.eventType &&
      checkResponse(expect, recordOf(candidate)).length === 0,
    step.timeoutMs,
  )
  if (!event) {
    const sameType = sink.pending().filter((candidate) => typeOf(candidate) === step.eventType)
    const latest = sameType[sameType.length - 1]
    const messages = [
      `callback: no ${step.eventType} event that meets the expectation arrived at ${sink.url} within ${step.timeoutMs} ms (${sameType.length} other event(s) of that type, ${sink.pending().length} in all).`,
      ...(latest
        ? ['The latest of that type missed it:', ...checkResponse(expect, recordOf(latest))]
        : [
            `Did a subscribe step, or a request step with \`sink: \${sink.url}\` (here ${sink.url}), come first?`,
          ]),
    ]
    return fail('failure', messages)
  }
  const summary = `received ${step.eventType} #${event.seq}`
  const violations = validateCallback(env, event)
  if (violations.length > 0) return fail('failure', violations.map(formatViolation), summary)
  return ok({ record: recordOf(event), summary })
}
