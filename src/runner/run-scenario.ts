import { randomUUID } from 'node:crypto'
import {
  compileCallbacks,
  err,
  formatSpecProblem,
  ok,
  validateCallbackRequest,
  type CompiledCallback,
  type CompiledOperation,
  type Result,
  type Violation,
} from '../contract/index.js'
import { buildRequest, type OutgoingRequest } from './build-request.js'
import { findViolations, formatViolation, toRecord } from './check-contract.js'
import { checkResponse, type ExchangeRecord } from './check-expectation.js'
import { SUBSCRIBE_OPERATION, checkSteps } from './check-steps.js'
import {
  describeStep,
  type CallbackStep,
  type ClientStep,
  type RequestStep,
  type ResponseExpectation,
  type StepAuth,
  type SubscribeStep,
  type WaitStep,
} from './client-steps.js'
import { createUuidBag, resolveTemplate } from './expressions.js'
import { sendHttp } from './http-client.js'
import type { RunnableScenario } from './load-run-file.js'
import type { CatalogEntry, OperationCatalog } from './operation-catalog.js'
import type { ReceivedCallback, Sink } from './sink.js'
import { CONTROL_BASE_PATH, type Target, type TargetKind } from './target.js'
import { DEFAULT_SUBSCRIBER, type TokenSource } from './token-source.js'

/** Why a step failed. `failure`: the target did not do what the step expects. `error`: the runner could not check. */
export interface StepFailure {
  readonly type: 'failure' | 'error'
  readonly messages: readonly string[]
  readonly summary?: string | undefined
}

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
  /** skipped: the scenario has no steps. */
  readonly status: 'passed' | 'failed' | 'skipped'
  readonly steps: readonly StepOutcome[]
  /** Problems found before running (bad steps, unknown scenario); nothing was sent. */
  readonly problems: readonly string[]
  readonly durationMs: number
}

/** What every step needs from the run. */
export interface RunContext {
  readonly target: Target
  readonly catalog: OperationCatalog
  readonly tokens: TokenSource
  readonly sink: Sink | undefined
  readonly env: Readonly<Record<string, string | undefined>>
  readonly requestTimeoutMs: number
  /** Waits longer than this on a real clock fail instead of holding the run. */
  readonly maxRealWaitMs: number
  readonly onStep?: (scenario: RunnableScenario, outcome: StepOutcome) => void
}

export const MAX_REAL_WAIT_MS = 5 * 60_000

interface StepDone {
  readonly record?: ExchangeRecord
  readonly summary?: string
}

type StepResult = Result<StepDone, StepFailure>

const fail = (type: StepFailure['type'], messages: readonly string[], summary?: string) =>
  err<StepFailure>({ type, messages, summary })

/** A pending request's virtual time is advanced in steps this big, so its latency is known to this precision. */
const ADVANCE_STEP_MS = 50
/** How long (real time) to watch for a reply being held on the clock before advancing anyway. */
const HOLD_DETECTION_MS = 1_000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const isVirtual = (kind: TargetKind): boolean => kind.kind === 'callsim' && kind.clock === 'virtual'

function quoteBody(text: string): string {
  if (text === '') return 'the response body is empty'
  return `the response body: ${text.length <= 300 ? text : `${text.slice(0, 299)}…`}`
}

/** Plays one scenario's steps in order; after the first failure the remaining steps are skipped. */
class ScenarioRun {
  /** What expressions can read: earlier steps by name, and env, scenario, uuid, sink. */
  private readonly scope = new Map<string, unknown>()
  private callbacks: CompiledCallback[] | undefined
  /** Subscriptions made by subscribe steps, deleted when the scenario ends. */
  private readonly subscriptions: { id: string; auth: StepAuth | undefined }[] = []

  constructor(
    private readonly scenario: RunnableScenario,
    private readonly context: RunContext,
  ) {
    this.scope.set('env', context.env)
    this.scope.set('scenario', { id: scenario.id })
    this.scope.set(
      'uuid',
      createUuidBag(() => randomUUID()),
    )
    if (context.sink) this.scope.set('sink', { url: context.sink.url })
  }

  async run(): Promise<ScenarioOutcome> {
    const started = performance.now()
    const { scenario, context } = this
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
    if (scenario.steps === undefined) return finish('skipped', [])
    const problems = [...scenario.problems, ...checkSteps(scenario.steps, context.catalog)].map(
      formatSpecProblem,
    )
    if (problems.length > 0) return finish('failed', [], problems)
    const unknown = await this.findUnknownScenario()
    if (unknown !== undefined) return finish('failed', [], [unknown])

    context.sink?.clear()
    const outcomes: StepOutcome[] = []
    let failed = false
    for (const [index, step] of scenario.steps.entries()) {
      const label = describeStep(step, index)
      const stepStarted = performance.now()
      let outcome: StepOutcome
      if (failed) {
        outcome = { index, label, status: 'skipped', durationMs: 0 }
      } else {
        const result = await this.runStep(step)
        const durationMs = Math.round(performance.now() - stepStarted)
        if (result.ok) {
          if (step.name !== undefined && result.value.record)
            this.scope.set(step.name, result.value.record)
          outcome = {
            index,
            label,
            status: 'passed',
            durationMs,
            ...(result.value.summary ? { summary: result.value.summary } : {}),
          }
        } else {
          failed = true
          outcome = {
            index,
            label,
            status: 'failed',
            failure: result.error,
            durationMs,
            ...(result.error.summary ? { summary: result.error.summary } : {}),
          }
        }
      }
      outcomes.push(outcome)
      context.onStep?.(scenario, outcome)
    }
    await this.unsubscribe()
    return finish(failed ? 'failed' : 'passed', outcomes)
  }

  /**
   * On a callsim, the scenario header must name a scenario it has loaded, or every request of the
   * file would be refused; say so once, with what to do, instead of failing the first step.
   */
  private async findUnknownScenario(): Promise<string | undefined> {
    const { target } = this.context
    const kind = await target.describe()
    if (!kind.ok || kind.value.kind !== 'callsim') return undefined
    const known = await target.hasScenario(this.scenario.id)
    if (!known.ok || known.value !== false) return undefined
    return `${this.scenario.source}: the callsim at ${target.url} has no scenario "${this.scenario.id}", which this file's steps need; start it with --scenarios <the folder of this file>.`
  }

  /**
   * Deletes what subscribe steps created, so a long-running target does not keep delivering to
   * a sink that is gone. Best effort: the scenario's verdict is already made.
   */
  private async unsubscribe(): Promise<void> {
    const found = this.context.catalog.find('deleteNotificationChannelSubscription')
    for (const subscription of found.ok ? this.subscriptions : []) {
      const authorization = await this.authorization(
        subscription.auth,
        found.ok ? found.value : undefined,
      )
      if (!authorization.ok || !found.ok) continue
      const headers: Record<string, string> =
        authorization.value === undefined ? {} : { authorization: authorization.value }
      const params = { subscriptionId: subscription.id }
      const built = buildRequest(found.value, {
        baseUrl: this.context.target.url,
        params,
        headers,
        body: undefined,
        rawBody: undefined,
      })
      // A subscription that cannot be deleted expires or fails its deliveries on its own.
      if (built.ok) await sendHttp(built.value, this.context.requestTimeoutMs)
    }
    this.subscriptions.length = 0
  }

  private runStep(step: ClientStep): Promise<StepResult> {
    switch (step.kind) {
      case 'request':
        return this.runRequest(step)
      case 'wait':
        return this.runWait(step)
      case 'subscribe':
        return this.runSubscribe(step)
      case 'callback':
        return this.runCallback(step)
    }
  }

  private resolve<T>(value: T): Result<T, StepFailure> {
    const resolved = resolveTemplate(value, this.scope)
    return resolved.ok ? ok(resolved.value as T) : fail('error', resolved.error)
  }

  private async targetKind(): Promise<Result<TargetKind, StepFailure>> {
    const kind = await this.context.target.describe()
    return kind.ok ? kind : fail('error', [kind.error])
  }

  /** Lets time pass on the target: at once on a virtual clock, for real otherwise (bounded). */
  private async pass(ms: number, kind: TargetKind): Promise<Result<void, StepFailure>> {
    if (isVirtual(kind)) {
      const advanced = await this.context.target.advanceClock(ms)
      return advanced.ok ? advanced : fail('error', [advanced.error])
    }
    if (ms > this.context.maxRealWaitMs) {
      return fail('error', [
        `wait: ${ms} ms is longer than the ${this.context.maxRealWaitMs} ms the runner waits in real time; the target has no virtual clock to advance (start callsim with --clock virtual).`,
      ])
    }
    await sleep(ms)
    return ok(undefined)
  }

  private async runWait(step: WaitStep): Promise<StepResult> {
    const kind = await this.targetKind()
    if (!kind.ok) return kind
    const passed = await this.pass(step.durationMs, kind.value)
    if (!passed.ok) return passed
    return ok({
      summary: `${isVirtual(kind.value) ? 'advanced the virtual clock' : 'waited'} ${step.durationMs} ms`,
    })
  }

  /** The Authorization header a request carries, if any. */
  private async authorization(
    auth: StepAuth | undefined,
    entry: CatalogEntry | undefined,
  ): Promise<Result<string | undefined, StepFailure>> {
    if (auth?.kind === 'none' || entry === undefined) return ok(undefined)
    if (auth?.kind === 'literal') {
      const token = this.resolve(auth.token)
      return token.ok ? ok(`Bearer ${token.value}`) : token
    }
    const { target } = this.context
    if (auth === undefined && entry.spec.spec.basePath === CONTROL_BASE_PATH) {
      return ok(target.adminToken === undefined ? undefined : `Bearer ${target.adminToken}`)
    }
    // An operation whose security is optional ({}) or absent gets a token only when the step asks for one.
    const { security } = entry.operation
    const required =
      security.length > 0 && security.every((alternative) => alternative.schemes.length > 0)
    if (!required && auth === undefined) return ok(undefined)
    const request = this.resolve(
      auth === undefined
        ? { sub: DEFAULT_SUBSCRIBER }
        : { sub: auth.sub, scope: auth.scope, claims: auth.claims },
    )
    if (!request.ok) return request
    const token = await this.context.tokens.token(request.value)
    return token.ok ? ok(`Bearer ${token.value}`) : fail('error', [token.error])
  }

  private async runRequest(step: RequestStep): Promise<StepResult> {
    const { context } = this
    const found = context.catalog.find(step.operationId)
    if (!found.ok) return fail('error', [found.error])
    const { operation } = found.value
    const input = this.resolve({
      params: step.params,
      headers: step.headers,
      body: step.body,
      rawBody: step.rawBody,
      expect: step.expect,
    })
    if (!input.ok) return input
    const { expect } = input.value
    const kind = await this.targetKind()
    if (!kind.ok) return kind

    const headers: Record<string, string> = { ...input.value.headers }
    const hasHeader = (name: string): boolean =>
      Object.keys(headers).some((key) => key.toLowerCase() === name)
    // On a callsim the scenario's own id governs its calls, so the file proves what it promises.
    if (kind.value.kind === 'callsim' && !hasHeader('x-callsim-scenario'))
      headers['x-callsim-scenario'] = this.scenario.id
    if (!hasHeader('authorization')) {
      const authorization = await this.authorization(step.auth, found.value)
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
    for (;;) {
      attempts += 1
      const attempt = await this.attempt(request, operation, expect, timeoutMs, advanceMs)
      if (attempt.passed) {
        const summary =
          attempts > 1 ? `${attempt.summary}, after ${attempts} requests` : attempt.summary
        return ok({ ...(attempt.record ? { record: attempt.record } : {}), summary })
      }
      if (!step.poll || attempt.final) return fail(attempt.type, attempt.messages, attempt.summary)
      // Poll time is the target's time: a virtual clock is advanced by each interval.
      const elapsed = isVirtual(kind.value) ? waitedMs : performance.now() - started
      if (elapsed >= step.poll.timeoutMs) {
        const lead = `poll: the expectation did not hold within ${step.poll.timeoutMs} ms (${attempts} requests); the last attempt missed it:`
        return fail(attempt.type, [lead, ...attempt.messages], attempt.summary)
      }
      const interval = Math.min(step.poll.intervalMs, Math.max(1, step.poll.timeoutMs - elapsed))
      const passed = await this.pass(interval, kind.value)
      if (!passed.ok) return passed
      waitedMs += interval
    }
  }

  /**
   * Sends the request; with `advanceMs`, moves the target's virtual clock in small steps while
   * the answer is pending, and counts the virtual time that passed as the answer's latency.
   */
  private async send(
    request: OutgoingRequest,
    timeoutMs: number,
    advanceMs: number,
  ): Promise<{ sent: Awaited<ReturnType<typeof sendHttp>>; advancedMs: number }> {
    if (advanceMs === 0) return { sent: await sendHttp(request, timeoutMs), advancedMs: 0 }
    const { target } = this.context
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

  /**
   * One request and what it proves. `final` marks what a poll must not retry: a response that
   * breaks the spec, and a target that cannot be reached at all.
   */
  private async attempt(
    request: OutgoingRequest,
    operation: CompiledOperation,
    expect: ResponseExpectation | undefined,
    timeoutMs: number,
    advanceMs: number,
  ): Promise<{
    passed: boolean
    final: boolean
    type: StepFailure['type']
    messages: string[]
    summary: string
    record?: ExchangeRecord
  }> {
    const path = new URL(request.url).pathname
    const { sent, advancedMs } = await this.send(request, timeoutMs, advanceMs)
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
    const contract = expect?.contract ?? 'valid'
    if (contract !== 'any') {
      const violations = findViolations(
        operation,
        record,
        parsed.parseViolation,
        this.context.sink?.url,
      )
      if (contract === 'valid' && violations.length > 0) {
        return {
          passed: false,
          final: true,
          type: 'failure',
          messages: [...violations.map(formatViolation), quoteBody(sent.value.text)],
          summary,
        }
      }
      if (contract === 'violated' && violations.length === 0) {
        return {
          passed: false,
          final: false,
          type: 'failure',
          messages: [
            `contract: expected the response to break the spec of ${operation.operationId}, but it honours it`,
          ],
          summary,
        }
      }
    }
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

  /** One createNotificationChannelSubscription per type, each pointing at the run's sink. */
  private async runSubscribe(step: SubscribeStep): Promise<StepResult> {
    const sink = this.context.sink
    if (!sink)
      return fail('error', [
        'subscribe: the run has no sink; this is a callsim bug, please report it',
      ])
    const deviceId = this.resolve(step.deviceId)
    if (!deviceId.ok) return deviceId
    let last: StepDone = {}
    const summaries: string[] = []
    for (const type of step.eventTypes) {
      const result = await this.runRequest({
        kind: 'request',
        name: undefined,
        description: undefined,
        origin: step.origin,
        operationId: SUBSCRIBE_OPERATION,
        auth: step.auth,
        params: {},
        headers: {},
        body: {
          protocol: 'HTTP',
          sink: sink.url,
          types: [type],
          config: { subscriptionDetail: { deviceId: deviceId.value } },
        },
        rawBody: undefined,
        timeoutMs: undefined,
        advanceMs: 0,
        expect: { status: [201, 202], contract: 'valid', dropped: false },
        poll: undefined,
      })
      if (!result.ok) return result
      last = result.value
      const id = (last.record?.body as { id?: unknown } | undefined)?.id
      if (typeof id === 'string') this.subscriptions.push({ id, auth: step.auth })
      if (last.summary) summaries.push(last.summary)
    }
    return ok({ ...last, summary: summaries.join('; ') })
  }

  /** Violations of a received event against the callbacks the specs declare (the best fit wins). */
  private validateCallback(event: ReceivedCallback): Violation[] {
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
    this.callbacks ??= this.context.catalog.specs.flatMap((spec) => {
      const compiled = compileCallbacks(spec.spec)
      return compiled.ok ? [...compiled.value.values()] : []
    })
    let best: Violation[] | undefined
    for (const callback of this.callbacks) {
      const violations = validateCallbackRequest(callback, {
        contentType: event.contentType,
        body: event.body,
      })
      if (best === undefined || violations.length < best.length) best = violations
      if (violations.length === 0) break
    }
    return best ?? []
  }

  private async runCallback(step: CallbackStep): Promise<StepResult> {
    const sink = this.context.sink
    if (!sink)
      return fail('error', [
        'callback: the run has no sink; this is a callsim bug, please report it',
      ])
    const resolved = this.resolve(step.expect)
    if (!resolved.ok) return resolved
    const expect = resolved.value
    const typeOf = (event: ReceivedCallback): unknown =>
      typeof event.body === 'object' && event.body !== null
        ? (event.body as { type?: unknown }).type
        : undefined
    const recordOf = (event: ReceivedCallback): ExchangeRecord => ({
      headers: event.headers,
      body: event.body,
    })
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
    const violations = this.validateCallback(event)
    if (violations.length > 0) return fail('failure', violations.map(formatViolation), summary)
    return ok({ record: recordOf(event), summary })
  }
}

/** Plays one scenario against the run's target. */
export function runScenario(
  scenario: RunnableScenario,
  context: RunContext,
): Promise<ScenarioOutcome> {
  return new ScenarioRun(scenario, context).run()
}
