// Reads the client steps of a scenario file into the ClientStep values of client-step.ts, with
// every problem named by file, line and JSON pointer, and describes a step for the run's report.
import type { ValidateFunction } from 'ajv'
import {
  compilePattern,
  err,
  explainFileErrors,
  ok,
  type CompileCache,
  type Result,
  type SpecProblem,
} from '../contract/index.js'
import { STEPS_WORDING, compileStepsSchema, parseDuration } from '../scenario/index.js'
import type { Matcher } from './match-subset.js'
import type {
  ClientStep,
  ParamValue,
  ResponseExpectation,
  StepAuth,
  StepOrigin,
} from './client-step.js'

/** The CloudEvents types of CAMARA WebRTC Events share this prefix; steps may leave it out. */
const EVENT_TYPE_PREFIX = 'org.camaraproject.webrtc-events.v0.'

/** `session-status` → `org.camaraproject.webrtc-events.v0.session-status`; a dotted name stays. */
function toEventType(name: string): string {
  return name.includes('.') ? name : `${EVENT_TYPE_PREFIX}${name}`
}

const DEFAULT_POLL_INTERVAL_MS = 1_000
const DEFAULT_CALLBACK_TIMEOUT_MS = 10_000

/**
 * Compiles the published steps schema once per `cache`, so that a built callsim takes it from
 * dist/spec-cache and a process compiles it at most once.
 */
export function createStepsValidator(schema: object, cache: CompileCache): ValidateFunction {
  return compileStepsSchema(schema, cache)
}

function durationOf(value: unknown): number {
  const parsed = parseDuration(value)
  // The schema has already checked the form, so this cannot fail.
  return parsed.ok ? parsed.value : 0
}

type Raw = Record<string, unknown>

function toAuth(value: unknown): StepAuth | undefined {
  if (value === undefined) return undefined
  if (value === 'none') return { kind: 'none' }
  const raw = value as Raw
  if (typeof raw.token === 'string') return { kind: 'literal', token: raw.token }
  return {
    kind: 'subscriber',
    sub: String(raw.sub),
    scope: raw.scope as string | undefined,
    claims: raw.claims as Raw | undefined,
  }
}

function toExpectation(value: unknown): ResponseExpectation | undefined {
  if (value === undefined) return undefined
  const raw = value as Raw
  return {
    ...(raw.status === undefined ? {} : { status: raw.status as number | number[] }),
    ...(raw.headers === undefined ? {} : { headers: raw.headers as Record<string, Matcher> }),
    ...('body' in raw ? { body: raw.body } : {}),
    ...(raw.paths === undefined ? {} : { paths: raw.paths as Record<string, Matcher> }),
    contract: (raw.contract as ResponseExpectation['contract'] | undefined) ?? 'valid',
    dropped: raw.dropped === true,
    ...(raw.latency === undefined ? {} : { latency: toLatency(raw.latency as Raw) }),
  }
}

function toLatency(raw: Raw): { atLeastMs?: number; atMostMs?: number } {
  return {
    ...(raw.atLeast === undefined ? {} : { atLeastMs: durationOf(raw.atLeast) }),
    ...(raw.atMost === undefined ? {} : { atMostMs: durationOf(raw.atMost) }),
  }
}

/**
 * A step's origin whose line is looked up when a message first needs it: a file the build or
 * the in-process callsim already parsed comes from the cache without the lines of its steps,
 * and finding one means parsing the YAML again (~0.5 s for the shipped library), which a run
 * whose steps all pass never needs.
 */
function lazyOrigin(
  source: string,
  pointer: string,
  lineOf: (pointer: string) => number | undefined,
): StepOrigin {
  let line: { readonly value: number | undefined } | undefined
  return {
    source,
    pointer,
    get line() {
      line ??= { value: lineOf(pointer) }
      return line.value
    },
  }
}

function toStep(raw: Raw, origin: StepOrigin): ClientStep {
  const base = {
    name: raw.name as string | undefined,
    description: raw.description as string | undefined,
    origin,
  }
  if (typeof raw.request === 'string') {
    const poll = raw.poll as Raw | undefined
    return {
      ...base,
      kind: 'request',
      operationId: raw.request,
      auth: toAuth(raw.auth),
      params: (raw.params as Record<string, ParamValue> | undefined) ?? {},
      headers: (raw.headers as Record<string, string> | undefined) ?? {},
      body: raw.body,
      rawBody: raw.rawBody as string | undefined,
      timeoutMs: raw.timeout === undefined ? undefined : durationOf(raw.timeout),
      advanceMs: raw.advance === undefined ? 0 : durationOf(raw.advance),
      expect: toExpectation(raw.expect),
      poll:
        poll === undefined
          ? undefined
          : {
              timeoutMs: durationOf(poll.timeout),
              intervalMs:
                poll.interval === undefined ? DEFAULT_POLL_INTERVAL_MS : durationOf(poll.interval),
            },
    }
  }
  if (raw.wait !== undefined) return { ...base, kind: 'wait', durationMs: durationOf(raw.wait) }
  if (raw.subscribe !== undefined) {
    const subscribe = raw.subscribe as Raw
    return {
      ...base,
      kind: 'subscribe',
      eventTypes: (subscribe.types as string[]).map(toEventType),
      deviceId: String(subscribe.deviceId),
      auth: toAuth(subscribe.auth),
    }
  }
  const callback = raw.callback as Raw
  const expect = raw.expect as Raw | undefined
  return {
    ...base,
    kind: 'callback',
    eventType: toEventType(String(callback.type)),
    timeoutMs:
      callback.timeout === undefined ? DEFAULT_CALLBACK_TIMEOUT_MS : durationOf(callback.timeout),
    expect:
      expect === undefined
        ? undefined
        : {
            ...(expect.headers === undefined
              ? {}
              : { headers: expect.headers as Record<string, Matcher> }),
            ...('body' in expect ? { body: expect.body } : {}),
            ...(expect.paths === undefined
              ? {}
              : { paths: expect.paths as Record<string, Matcher> }),
          },
  }
}

/**
 * Reads the `steps` array of a scenario: checks it against the steps schema, then checks what a
 * schema cannot (unique step names, regular expressions that compile) and returns typed steps.
 */
export function parseClientSteps(
  value: unknown,
  validate: ValidateFunction,
  at: { source: string; pointer: string; lineOf: (pointer: string) => number | undefined },
): Result<ClientStep[], SpecProblem[]> {
  if (!validate(value))
    return err(
      explainFileErrors(validate.errors, STEPS_WORDING).map(({ pointer, message }) => ({
        source: at.source,
        pointer: `${at.pointer}${pointer}`,
        line: at.lineOf(`${at.pointer}${pointer}`),
        message,
      })),
    )
  const problems: SpecProblem[] = []
  const problem = (pointer: string, message: string): void => {
    problems.push({ source: at.source, pointer, line: at.lineOf(pointer), message })
  }
  const names = new Map<string, number>()
  const steps = (value as Raw[]).map((raw, index) => {
    const pointer = `${at.pointer}/${index}`
    const step = toStep(raw, lazyOrigin(at.source, pointer, at.lineOf))
    if (step.name !== undefined) {
      const first = names.get(step.name)
      if (first !== undefined)
        problem(
          `${pointer}/name`,
          `step name "${step.name}" is already used by step ${first + 1}; names must be unique within a scenario`,
        )
      else names.set(step.name, index)
    }
    const expect = step.kind === 'request' || step.kind === 'callback' ? step.expect : undefined
    for (const [path, matcher] of Object.entries({
      ...expect?.paths,
      ...prefixHeaders(expect?.headers),
    })) {
      if (typeof matcher === 'object' && matcher !== null && 'matches' in matcher) {
        const pattern = compilePattern(matcher.matches, '')
        if (!pattern.ok) problem(`${pointer}/expect`, `${path}: ${pattern.error}`)
      }
    }
    return step
  })
  return problems.length > 0 ? err(problems) : ok(steps)
}

function prefixHeaders(
  headers: Readonly<Record<string, Matcher>> | undefined,
): Record<string, Matcher> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, matcher]) => [`headers.${name}`, matcher]),
  )
}

/** `create: createSession — why`: how progress lines and reports name a step. */
export function describeStep(step: ClientStep, index: number): string {
  const label = step.name === undefined ? `step ${index + 1}` : step.name
  const what = ((): string => {
    switch (step.kind) {
      case 'request':
        return `${step.operationId}${step.poll ? ' (poll)' : ''}`
      case 'wait':
        return `wait ${step.durationMs} ms`
      case 'subscribe':
        return `subscribe ${step.eventTypes.map((type) => type.replace(EVENT_TYPE_PREFIX, '')).join(', ')}`
      case 'callback':
        return `callback ${step.eventType.replace(EVENT_TYPE_PREFIX, '')}`
    }
  })()
  return `${label}: ${what}${step.description === undefined ? '' : ` — ${step.description}`}`
}
