import { ok, type CompiledOperation } from '../contract/index.js'
import { authorizationFor } from './authorize-step.js'
import { buildRequest, type OutgoingRequest } from './build-request.js'
import { checkContract, toRecord } from './check-contract.js'
import { checkResponse, type ExchangeRecord } from './check-expectation.js'
import type { RequestStep, ResponseExpectation } from './client-step.js'
import { isVirtual, passTime, sendAdvancing } from './pass-time.js'
import {
  PROGRESS_AFTER_MS,
  fail,
  type StepEnv,
  type StepFailure,
  type StepResult,
} from './step-env.js'
import { show } from './match-subset.js'

/** One request and what it proves. */
interface Attempt {
  readonly passed: boolean
  /** What a poll must not retry: a response that breaks the spec, a target that is not there. */
  readonly final: boolean
  readonly type: StepFailure['type']
  readonly messages: string[]
  readonly summary: string
  readonly record?: ExchangeRecord
}

/**
 * A `request` step: sends the operation with the step's params, headers, body and token, and
 * checks the answer; with `poll`, asks again until the expectation holds or the poll times out.
 */
export async function runRequest(env: StepEnv, step: RequestStep): Promise<StepResult> {
  const { context } = env
  const found = context.catalog.find(step.operationId)
  if (!found.ok) return fail('error', [found.error])
  const { operation } = found.value
  const input = env.resolve({
    params: step.params,
    headers: step.headers,
    body: step.body,
    rawBody: step.rawBody,
    expect: step.expect,
  })
  if (!input.ok) return input
  const { expect } = input.value
  const kind = await env.targetKind()
  if (!kind.ok) return kind

  const headers: Record<string, string> = { ...input.value.headers }
  const hasHeader = (name: string): boolean =>
    Object.keys(headers).some((key) => key.toLowerCase() === name)
  // On a callsim the scenario's own id governs its calls, so the file proves what it promises.
  if (kind.value.kind === 'callsim' && !hasHeader('x-callsim-scenario'))
    headers['x-callsim-scenario'] = env.scenario.id
  if (!hasHeader('authorization')) {
    const authorization = await authorizationFor(env, step.auth, found.value)
    if (!authorization.ok) return authorization
    if (authorization.value !== undefined) headers.authorization = authorization.value
  }
  const built = buildRequest(found.value, {
    ...input.value,
    baseUrl: context.target.url,
    headers,
  })
  if (!built.ok) return fail('error', built.error)
  const request = built.value
  const timeoutMs = step.timeoutMs ?? context.requestTimeoutMs
  const advanceMs = isVirtual(kind.value) ? step.advanceMs : 0

  let attempts = 0
  let waitedMs = 0
  const started = performance.now()
  let reportedAt = started
  // The client errors answered in a row, with the same status and body: a poll stops on them.
  let sameClientError = { key: '', count: 0 }
  for (;;) {
    attempts += 1
    const attempt = await attemptOnce(env, request, operation, expect, timeoutMs, advanceMs)
    if (attempt.passed) {
      const summary =
        attempts > 1 ? `${attempt.summary}, after ${attempts} requests` : attempt.summary
      return ok({ ...(attempt.record ? { record: attempt.record } : {}), summary })
    }
    if (!step.poll || attempt.final) return fail(attempt.type, attempt.messages, attempt.summary)
    const status = attempt.record?.status ?? 0
    const key = `${status} ${JSON.stringify(attempt.record?.body)}`
    sameClientError =
      status >= 400 && status < 500 && !expectsStatus(expect, status)
        ? { key, count: key === sameClientError.key ? sameClientError.count + 1 : 1 }
        : { key: '', count: 0 }
    if (sameClientError.count >= SAME_CLIENT_ERROR_LIMIT) {
      const lead = `poll: stopped early: the last ${SAME_CLIENT_ERROR_LIMIT} requests were all answered ${status} with the same body, a client error that asking again will not change:`
      return fail(attempt.type, [lead, ...attempt.messages], attempt.summary)
    }
    if (performance.now() - reportedAt >= PROGRESS_AFTER_MS) {
      reportedAt = performance.now()
      env.progress(
        `polling ${step.operationId} until ${waitingFor(expect)}: ${attempts} requests, the last ${attempt.summary}`,
      )
    }
    // Poll time is the target's time: a virtual clock is advanced by each interval.
    const elapsed = isVirtual(kind.value) ? waitedMs : performance.now() - started
    if (elapsed >= step.poll.timeoutMs) {
      const lead = `poll: the expectation did not hold within ${step.poll.timeoutMs} ms (${attempts} requests); the last attempt missed it:`
      return fail(attempt.type, [lead, ...attempt.messages], attempt.summary)
    }
    const interval = Math.min(step.poll.intervalMs, Math.max(1, step.poll.timeoutMs - elapsed))
    const passed = await passTime(env, interval, kind.value)
    if (!passed.ok) return passed
    waitedMs += interval
  }
}

/** How many identical client errors in a row end a poll early. */
const SAME_CLIENT_ERROR_LIMIT = 5

/** What a poll waits for, in a few words: the status and the body it expects. */
function waitingFor(expect: ResponseExpectation | undefined): string {
  if (expect === undefined) return 'an answer'
  const status =
    expect.status === undefined ? 'any status' : `status ${[expect.status].flat().join(' or ')}`
  return expect.body === undefined ? status : `${status} with body ${show(expect.body, 120)}`
}

function expectsStatus(expect: ResponseExpectation | undefined, status: number): boolean {
  const wanted = expect?.status
  if (wanted === undefined) return false
  return Array.isArray(wanted) ? wanted.includes(status) : wanted === status
}

async function attemptOnce(
  env: StepEnv,
  request: OutgoingRequest,
  operation: CompiledOperation,
  expect: ResponseExpectation | undefined,
  timeoutMs: number,
  advanceMs: number,
): Promise<Attempt> {
  const path = new URL(request.url).pathname
  const { sent, advancedMs } = await sendAdvancing(env, request, timeoutMs, advanceMs)
  if (!sent.ok) {
    const summary = `${request.method} ${path} → no response`
    if (expect?.dropped && sent.error.kind === 'dropped')
      return {
        passed: true,
        final: false,
        type: 'failure',
        messages: [],
        summary: `${request.method} ${path} → connection dropped, as expected`,
      }
    // Over a flaky network a poll tries again; a target that is not there at all is not worth it.
    const final = sent.error.kind !== 'dropped' && sent.error.kind !== 'timeout'
    return { passed: false, final, type: 'error', messages: [sent.error.message], summary }
  }
  const latencyMs = advanceMs > 0 ? advancedMs : sent.value.durationMs
  const summary = `${request.method} ${path} → ${sent.value.status} (${advanceMs > 0 ? `${latencyMs} ms on the virtual clock` : `${latencyMs} ms`})`
  if (expect?.dropped)
    return {
      passed: false,
      final: false,
      type: 'failure',
      messages: [
        `expected the target to drop the connection, but it answered ${sent.value.status}`,
      ],
      summary,
    }

  const parsed = toRecord(sent.value, operation.operationId)
  const record: ExchangeRecord = { ...parsed.record, latencyMs }
  const broken = checkContract(
    expect?.contract ?? 'valid',
    operation,
    { record, text: sent.value.text },
    parsed.parseViolation,
    env.context.sink?.url,
  )
  if (broken) return { passed: false, type: 'failure', summary, ...broken }
  const problems = checkResponse(expect, record)
  return {
    passed: problems.length === 0,
    final: false,
    type: 'failure',
    messages: problems,
    summary,
    record,
  }
}
