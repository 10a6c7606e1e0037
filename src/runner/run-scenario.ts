import { randomUUID } from 'node:crypto'
import {
  compileCallbacks,
  formatSpecProblem,
  validateResponse,
  validateCallbackRequest,
  type CompiledCallback,
  type CompiledOperation,
  type Violation,
} from '../contract/index.js'
import { buildRequest } from './build-request.js'
import { checkResponse, type ExchangeRecord } from './check-expectation.js'
import { checkSteps } from './check-steps.js'
import { SUBSCRIBE_OPERATION } from './check-steps.js'
import {
  describeStep,
  type CallbackStep,
  type ClientStep,
  type RequestStep,
  type StepAuth,
  type SubscribeStep,
  type WaitStep,
} from './client-steps.js'
import { createUuidBag, readPath, resolveTemplate } from './expressions.js'
import { sendHttp, type HttpExchange } from './http-client.js'
import type { RunnableScenario } from './load-run-file.js'
import type { CatalogEntry, OperationCatalog } from './operation-catalog.js'
import type { ReceivedCallback, Sink } from './sink.js'
import { CONTROL_BASE_PATH, type Target, type TargetKind } from './target.js'
import { DEFAULT_SUBSCRIBER, type TokenSource } from './token-source.js'

/** How a step ended. A failure is the target not doing what the step expects; an error is the runner unable to check. */
export interface StepOutcome {
  readonly index: number
  readonly label: string
  readonly status: 'passed' | 'failed' | 'skipped'
  readonly failure?: { readonly type: 'failure' | 'error'; readonly messages: readonly string[] }
  /** What happened, e.g. `POST /webrtc-call-handling/vwip/sessions → 201`. */
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
  /** Problems found before running (bad steps); the scenario fails without sending anything. */
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

class StepFailure {
  constructor(
    readonly type: 'failure' | 'error',
    readonly messages: readonly string[],
    readonly summary?: string,
  ) {}
}

interface StepResult {
  readonly record?: ExchangeRecord
  readonly summary?: string
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function formatViolation(violation: Violation): string {
  return `contract: ${violation.path} breaks the rule "${violation.keyword}" of ${violation.operationId}${violation.status === undefined ? '' : ` ${violation.status}`}: ${violation.message}`
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase()
  return (
    type !== undefined && (type === 'application/json' || /^application\/[\w.-]+\+json$/.test(type))
  )
}

/** Parses a response body as JSON when its type says JSON; a body that is not is a violation. */
function toRecord(
  exchange: HttpExchange,
  operation: CompiledOperation,
): { record: ExchangeRecord; parseViolation: Violation | undefined } {
  const contentType = exchange.headers['content-type']
  let body: unknown = exchange.text === '' ? undefined : exchange.text
  let parseViolation: Violation | undefined
  if (exchange.text !== '' && isJson(contentType)) {
    try {
      body = JSON.parse(exchange.text)
    } catch (error) {
      parseViolation = {
        direction: 'response',
        operationId: operation.operationId,
        status: exchange.status,
        location: 'body',
        path: 'body',
        keyword: 'json',
        message: `the body is not valid JSON although Content-Type says ${contentType ?? ''} (${error instanceof Error ? error.message : String(error)})`,
      }
    }
  }
  return { record: { status: exchange.status, headers: exchange.headers, body }, parseViolation }
}

/** Reads a violation's path (`body.items[0].sink`) from a response record. */
function readFieldPath(record: ExchangeRecord, path: string): unknown {
  const segments = path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')
  return readPath(
    record,
    segments.map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  ).value
}

/** Plays one scenario's steps in order; after the first failure the remaining steps are skipped. */
export class ScenarioRun {
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
    const base = { id: scenario.id, source: scenario.source, description: scenario.description }
    const finish = (
      status: ScenarioOutcome['status'],
      steps: StepOutcome[],
      problems: readonly string[] = [],
    ): ScenarioOutcome => ({
      ...base,
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

    const unknown = await this.checkScenarioKnown()
    if (unknown !== undefined) return finish('failed', [], [unknown])
    context.sink?.clear()
    const outcomes: StepOutcome[] = []
    let failed = false
    for (const [index, step] of scenario.steps.entries()) {
      const label = describeStep(step, index)
      if (failed) {
        const outcome: StepOutcome = { index, label, status: 'skipped', durationMs: 0 }
        outcomes.push(outcome)
        context.onStep?.(scenario, outcome)
        continue
      }
      const stepStarted = performance.now()
      let outcome: StepOutcome
      try {
        const result = await this.runStep(step)
        if (step.name !== undefined && result.record) this.scope.set(step.name, result.record)
        outcome = {
          index,
          label,
          status: 'passed',
          durationMs: Math.round(performance.now() - stepStarted),
          ...(result.summary ? { summary: result.summary } : {}),
        }
      } catch (error) {
        if (!(error instanceof StepFailure)) throw error
        failed = true
        outcome = {
          index,
          label,
          status: 'failed',
          failure: { type: error.type, messages: error.messages },
          durationMs: Math.round(performance.now() - stepStarted),
          ...(error.summary ? { summary: error.summary } : {}),
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
  private async checkScenarioKnown(): Promise<string | undefined> {
    const kind = await this.context.target.describe()
    if (!kind.ok || kind.value.kind !== 'callsim') return undefined
    const known = await this.context.target.hasScenario(this.scenario.id)
    if (!known.ok || known.value !== false) return undefined
    return `${this.scenario.source}: the callsim at ${this.context.target.url} has no scenario "${this.scenario.id}", which this file's steps need; start it with --scenarios <the folder of this file>.`
  }

  /**
   * Deletes what subscribe steps created, so a long-running target does not keep delivering to
   * a sink that is gone. Best effort: the scenario's verdict is already made.
   */
  private async unsubscribe(): Promise<void> {
    const found = this.context.catalog.find('deleteNotificationChannelSubscription')
    if (!found.ok) return
    for (const subscription of this.subscriptions) {
      try {
        const authorization = await this.authorization(subscription.auth, found.value)
        const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
        const built = buildRequest(found.value, {
          baseUrl: this.context.target.url,
          params: { subscriptionId: subscription.id },
          headers,
          body: undefined,
          rawBody: undefined,
        })
        if (built.ok) await sendHttp(built.value, this.context.requestTimeoutMs)
      } catch {
        // Nothing to report: a subscription left behind expires or fails its deliveries on its own.
      }
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

  private resolve<T>(value: T): T {
    const resolved = resolveTemplate(value, this.scope)
    if (!resolved.ok) throw new StepFailure('error', resolved.error)
    return resolved.value as T
  }

  private async targetKind(): Promise<TargetKind> {
    const kind = await this.context.target.describe()
    if (!kind.ok) throw new StepFailure('error', [kind.error])
    return kind.value
  }

  /** Lets time pass on the target: at once on a virtual clock, for real otherwise. */
  private async pass(ms: number, kind: TargetKind): Promise<void> {
    if (kind.kind === 'callsim' && kind.clock === 'virtual') {
      const advanced = await this.context.target.advanceClock(ms)
      if (!advanced.ok) throw new StepFailure('error', [advanced.error])
      return
    }
    if (ms > this.context.maxRealWaitMs) {
      throw new StepFailure('error', [
        `wait: ${ms} ms is longer than the ${this.context.maxRealWaitMs} ms the runner waits in real time; the target has no virtual clock to advance (start callsim with --clock virtual).`,
      ])
    }
    await sleep(ms)
  }

  private async runWait(step: WaitStep): Promise<StepResult> {
    const kind = await this.targetKind()
    await this.pass(step.durationMs, kind)
    const how =
      kind.kind === 'callsim' && kind.clock === 'virtual' ? 'advanced the virtual clock' : 'waited'
    return { summary: `${how} ${step.durationMs} ms` }
  }

  private async authorization(
    auth: StepAuth | undefined,
    { spec, operation }: CatalogEntry,
  ): Promise<string | undefined> {
    if (auth?.kind === 'none') return undefined
    if (auth?.kind === 'literal') return `Bearer ${this.resolve(auth.token)}`
    if (auth === undefined && spec.spec.basePath === CONTROL_BASE_PATH) {
      return this.context.target.adminToken === undefined
        ? undefined
        : `Bearer ${this.context.target.adminToken}`
    }
    // An operation whose security is optional ({}) or absent gets a token only when the step asks for one.
    const required =
      operation.security.length > 0 &&
      operation.security.every((alternative) => alternative.schemes.length > 0)
    if (!required && auth === undefined) return undefined
    const request =
      auth === undefined
        ? { sub: DEFAULT_SUBSCRIBER }
        : this.resolve({ sub: auth.sub, scope: auth.scope, claims: auth.claims })
    const token = await this.context.tokens.token(request)
    if (!token.ok) throw new StepFailure('error', [token.error])
    return `Bearer ${token.value}`
  }

  private async runRequest(step: RequestStep): Promise<StepResult> {
    const { context } = this
    const found = context.catalog.find(step.operationId)
    if (!found.ok) throw new StepFailure('error', [found.error])
    const { operation } = found.value
    const input = this.resolve({
      params: step.params,
      headers: step.headers,
      body: step.body,
      rawBody: step.rawBody,
    })
    const expect = this.resolve(step.expect)
    const kind = await this.targetKind()
    const headers: Record<string, string> = { ...input.headers }
    const hasHeader = (name: string): boolean =>
      Object.keys(headers).some((key) => key.toLowerCase() === name)
    // On a callsim the scenario's own id governs its calls, so the file proves what it promises.
    if (kind.kind === 'callsim' && !hasHeader('x-callsim-scenario'))
      headers['x-callsim-scenario'] = this.scenario.id
    if (!hasHeader('authorization')) {
      const authorization = await this.authorization(step.auth, found.value)
      if (authorization !== undefined) headers.authorization = authorization
    }
    const built = buildRequest(found.value, {
      baseUrl: context.target.url,
      params: input.params,
      headers,
      body: input.body,
      rawBody: input.rawBody,
    })
    if (!built.ok) throw new StepFailure('error', built.error)
    const request = built.value
    const path = new URL(request.url).pathname
    const timeoutMs = step.timeoutMs ?? context.requestTimeoutMs

    let attempts = 0
    let waitedMs = 0
    const pollStarted = performance.now()
    for (;;) {
      attempts += 1
      const sent = await sendHttp(request, timeoutMs)
      if (!sent.ok) {
        const summary = `${request.method} ${path} → connection failed`
        if (expect?.dropped && sent.error.kind === 'dropped')
          return { summary: `${request.method} ${path} → connection dropped, as expected` }
        throw new StepFailure('error', [sent.error.message], summary)
      }
      const summary = `${request.method} ${path} → ${sent.value.status} (${sent.value.durationMs} ms)`
      if (expect?.dropped)
        throw new StepFailure(
          'failure',
          [`expected the target to drop the connection, but it answered ${sent.value.status}`],
          summary,
        )
      const { record, parseViolation } = toRecord(sent.value, operation)
      const contract = expect?.contract ?? 'valid'
      if (contract !== 'any') {
        const violations = [
          ...(parseViolation ? [parseViolation] : []),
          ...validateResponse(operation, {
            status: record.status ?? 0,
            contentType: record.headers['content-type'],
            body: parseViolation ? undefined : record.body,
            headers: record.headers,
          }).filter(
            // An unparsable body has already been reported; "declares a body, but none was sent" would repeat it.
            (violation) => !(parseViolation && violation.keyword === 'required-body'),
          ),
        ]
        // The run's own sink is http:// on 127.0.0.1, which a callsim accepts with --allow-http-sinks
        // although the spec's pattern demands https; its echo in a subscription is not the target's fault.
        const sinkUrl = context.sink?.url
        const echoesSink = (violation: Violation): boolean =>
          sinkUrl !== undefined &&
          violation.keyword === 'pattern' &&
          /(^|\.)sink$/.test(violation.path) &&
          readFieldPath(record, violation.path) === sinkUrl
        violations.splice(
          0,
          violations.length,
          ...violations.filter((violation) => !echoesSink(violation)),
        )
        if (contract === 'valid' && violations.length > 0) {
          throw new StepFailure(
            'failure',
            [
              ...violations.map(formatViolation),
              `the response body: ${sent.value.text === '' ? '(empty)' : sent.value.text.length <= 300 ? sent.value.text : `${sent.value.text.slice(0, 299)}…`}`,
            ],
            summary,
          )
        }
        if (contract === 'violated' && violations.length === 0) {
          throw new StepFailure(
            'failure',
            [
              `contract: expected the response to break the spec of ${operation.operationId}, but it honours it`,
            ],
            summary,
          )
        }
      }
      const problems = checkResponse(expect, record)
      if (problems.length === 0)
        return {
          record,
          summary: attempts > 1 ? `${summary}, after ${attempts} requests` : summary,
        }
      if (!step.poll) throw new StepFailure('failure', problems, summary)
      const virtual = kind.kind === 'callsim' && kind.clock === 'virtual'
      const elapsed = virtual ? waitedMs : performance.now() - pollStarted
      if (elapsed >= step.poll.timeoutMs) {
        throw new StepFailure(
          'failure',
          [
            `poll: the expectation did not hold within ${step.poll.timeoutMs} ms (${attempts} requests); the last response missed it:`,
            ...problems,
          ],
          summary,
        )
      }
      const interval = Math.min(step.poll.intervalMs, Math.max(1, step.poll.timeoutMs - elapsed))
      await this.pass(interval, kind)
      waitedMs += interval
    }
  }

  /** One createNotificationChannelSubscription per type, each pointing at the run's sink. */
  private async runSubscribe(step: SubscribeStep): Promise<StepResult> {
    const sink = this.context.sink
    if (!sink)
      throw new StepFailure('error', [
        'subscribe: the run has no sink; this is a callsim bug, please report it',
      ])
    const deviceId = this.resolve(step.deviceId)
    let last: StepResult | undefined
    const summaries: string[] = []
    for (const type of step.eventTypes) {
      last = await this.runRequest({
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
          config: { subscriptionDetail: { deviceId } },
        },
        rawBody: undefined,
        timeoutMs: undefined,
        expect: { status: [201, 202], contract: 'valid', dropped: false },
        poll: undefined,
      })
      const id = (last.record?.body as { id?: unknown } | undefined)?.id
      if (typeof id === 'string') this.subscriptions.push({ id, auth: step.auth })
      if (last.summary) summaries.push(last.summary)
    }
    return { ...(last?.record ? { record: last.record } : {}), summary: summaries.join('; ') }
  }

  private callbackValidators(): CompiledCallback[] {
    if (this.callbacks === undefined) {
      this.callbacks = this.context.catalog.specs.flatMap((spec) => {
        const compiled = compileCallbacks(spec.spec)
        return compiled.ok ? [...compiled.value.values()] : []
      })
    }
    return this.callbacks
  }

  /** Violations of the received event against the callbacks the specs declare (the best fit wins). */
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
    let best: Violation[] | undefined
    for (const callback of this.callbackValidators()) {
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
      throw new StepFailure('error', [
        'callback: the run has no sink; this is a callsim bug, please report it',
      ])
    const expect = this.resolve(step.expect)
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
      const last = sameType[sameType.length - 1]
      const messages = [
        `callback: no ${step.eventType} event that meets the expectation arrived at ${sink.url} within ${step.timeoutMs} ms (${sameType.length} other event(s) of that type, ${sink.pending().length} in all).`,
      ]
      if (last)
        messages.push(
          'The latest of that type missed it:',
          ...checkResponse(expect, recordOf(last)),
        )
      else messages.push('Did a step subscribe with sink: ${sink.url}?')
      throw new StepFailure('failure', messages)
    }
    const violations = this.validateCallback(event)
    const summary = `received ${step.eventType} #${event.seq}`
    if (violations.length > 0)
      throw new StepFailure('failure', violations.map(formatViolation), summary)
    return { record: recordOf(event), summary }
  }
}

/** Plays one scenario against the run's target. */
export function runScenario(
  scenario: RunnableScenario,
  context: RunContext,
): Promise<ScenarioOutcome> {
  return new ScenarioRun(scenario, context).run()
}
