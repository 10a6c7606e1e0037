import { parseDuration, type Random } from '../core/index.js'
import {
  compileBodyMatchers,
  compileHeaderMatchers,
  testBody,
  testHeaders,
  type Report,
} from './match-request.js'
import type { DelaySpec, FaultAction, FaultResponse, FaultRule, Scenario } from './scenario.js'

/** A fault rule as written in a scenario file (already checked against the JSON Schema). */
export interface RawFault {
  readonly name?: string
  readonly operations?: readonly string[]
  readonly when?: {
    readonly nth?: number
    readonly first?: number
    readonly every?: number
    readonly probability?: number
    readonly headers?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
    readonly body?: Readonly<Record<string, Readonly<Record<string, unknown>>>>
  }
  readonly delay?: {
    readonly type: 'fixed' | 'uniform'
    readonly duration?: string | number
    readonly min?: string | number
    readonly max?: string | number
  }
  readonly action?: {
    readonly type: 'respond' | 'drop-connection' | 'malformed-body'
    readonly status?: number
    readonly code?: string
    readonly message?: string
  }
  readonly undeclared?: boolean
}

function compileDelay(
  raw: NonNullable<RawFault['delay']>,
  pointer: string,
  report: Report,
): DelaySpec | undefined {
  const duration = (key: 'duration' | 'min' | 'max'): number | undefined => {
    const parsed = parseDuration(raw[key])
    if (parsed.ok) return parsed.value
    report(`${pointer}/${key}`, parsed.error)
    return undefined
  }
  const misplaced = (keys: readonly ('duration' | 'min' | 'max')[]): boolean => {
    const present = keys.filter((key) => raw[key] !== undefined)
    for (const key of present)
      report(
        `${pointer}/${key}`,
        `\`${key}\` does not belong to a ${raw.type} delay; a fixed delay takes \`duration\`, a uniform one \`min\` and \`max\``,
      )
    return present.length > 0
  }
  if (raw.type === 'fixed') {
    const ms = duration('duration')
    return misplaced(['min', 'max']) || ms === undefined ? undefined : { kind: 'fixed', ms }
  }
  const minMs = duration('min')
  const maxMs = duration('max')
  if (misplaced(['duration']) || minMs === undefined || maxMs === undefined) return undefined
  if (minMs > maxMs) {
    report(pointer, `min (${minMs} ms) is larger than max (${maxMs} ms); swap them`)
    return undefined
  }
  return { kind: 'uniform', minMs, maxMs }
}

function compileResponse(
  raw: NonNullable<RawFault['action']>,
  pointer: string,
  report: Report,
  scenarioId: string,
): FaultResponse | undefined {
  const extra = (keys: readonly ('status' | 'code' | 'message')[]): boolean => {
    const present = keys.filter((key) => raw[key] !== undefined)
    for (const key of present)
      report(`${pointer}/${key}`, `\`${key}\` does not belong to a ${raw.type} action; remove it`)
    return present.length > 0
  }
  switch (raw.type) {
    case 'drop-connection':
      return extra(['status', 'code', 'message']) ? undefined : { kind: 'drop-connection' }
    case 'malformed-body':
      return extra(['code', 'message'])
        ? undefined
        : { kind: 'malformed-body', status: raw.status ?? 200 }
    case 'respond': {
      const status = raw.status ?? 500
      if (status < 400) {
        report(
          `${pointer}/status`,
          `a respond action injects an error, so its status must be 400 or more, not ${status}`,
        )
        return undefined
      }
      const code = raw.code ?? ''
      return {
        kind: 'respond',
        status,
        code,
        message: raw.message ?? `callsim scenario ${scenarioId} injected ${status} ${code}.`,
      }
    }
  }
}

/** Compiles one entry of a scenario's `faults`, reporting every problem it has. */
export function compileFaultRule(
  raw: RawFault,
  index: number,
  pointer: string,
  report: Report,
  scenarioId: string,
): FaultRule | undefined {
  let problems = 0
  const counting: Report = (at, message) => {
    problems += 1
    report(at, message)
  }
  if (raw.delay === undefined && raw.action === undefined) {
    counting(pointer, 'a fault needs a `delay`, an `action`, or both; as written it does nothing')
  }
  const delay = raw.delay && compileDelay(raw.delay, `${pointer}/delay`, counting)
  const response =
    raw.action && compileResponse(raw.action, `${pointer}/action`, counting, scenarioId)
  const when = raw.when ?? {}
  const headers = compileHeaderMatchers(when.headers, `${pointer}/when/headers`, counting)
  const body = compileBodyMatchers(when.body, `${pointer}/when/body`, counting)
  if (problems > 0) return undefined
  return {
    index,
    name: raw.name,
    operations: raw.operations && new Set(raw.operations),
    when: {
      nth: when.nth,
      first: when.first,
      every: when.every,
      probability: when.probability,
      headers,
      body,
    },
    delay,
    response,
    undeclared: raw.undeclared ?? false,
  }
}

/** A request as a fault plan sees it. */
export interface FaultRequest {
  readonly operationId: string
  readonly headers: Readonly<Record<string, unknown>>
  readonly body: unknown
}

/** What the HTTP shell must do to one request, and how the journal names it. */
export interface FaultDecision {
  readonly scenarioId: string
  readonly rule: FaultRule
  /** In order: a delay first (if any), then at most one response action. */
  readonly actions: readonly FaultAction[]
  /** The response is not checked against the spec: undeclared on purpose, or malformed. */
  readonly intentional: boolean
  readonly label: string
}

/**
 * The per-rule request counts and the seeded generator behind nth / first / every /
 * probability. Same seed and same requests give the same decisions.
 */
export class FaultState {
  private readonly counts = new Map<string, number>()

  constructor(readonly random: Random) {}

  count(scenarioId: string, rule: FaultRule): number {
    const key = `${scenarioId}\u0000${rule.index}`
    const next = (this.counts.get(key) ?? 0) + 1
    this.counts.set(key, next)
    return next
  }

  clear(): void {
    this.counts.clear()
  }
}

function selectsRequest(rule: FaultRule, request: FaultRequest): boolean {
  if (rule.operations && !rule.operations.has(request.operationId)) return false
  return testHeaders(rule.when.headers, request.headers) && testBody(rule.when.body, request.body)
}

function describe(decision: Omit<FaultDecision, 'label'>): string {
  const name = decision.rule.name === undefined ? '' : ` (${decision.rule.name})`
  const parts = decision.actions.map((action) => {
    switch (action.kind) {
      case 'delay':
        return `delay ${action.ms}ms`
      case 'respond':
        return `respond ${action.status} ${action.code}${decision.rule.undeclared ? ', undeclared on purpose' : ''}`
      case 'drop-connection':
        return 'drop-connection'
      case 'malformed-body':
        return `malformed-body ${action.status}, intentional`
    }
  })
  return `${decision.scenarioId} faults[${decision.rule.index}]${name}: ${parts.join(' then ')}`
}

/**
 * Decides whether the governing scenario injects a fault into this request. Every rule that
 * selects the request counts it; the first rule whose conditions then hold applies.
 */
export function decideFault(
  scenario: Scenario,
  request: FaultRequest,
  state: FaultState,
): FaultDecision | undefined {
  const counted = scenario.faults
    .filter((rule) => selectsRequest(rule, request))
    .map((rule) => ({ rule, n: state.count(scenario.id, rule) }))
  for (const { rule, n } of counted) {
    const { nth, first, every, probability } = rule.when
    if (nth !== undefined && n !== nth) continue
    if (first !== undefined && n > first) continue
    if (every !== undefined && n % every !== 0) continue
    // Drawn only for a rule that is otherwise due, so unrelated traffic does not shift the draws.
    if (probability !== undefined && !(state.random.next() < probability)) continue
    const actions: FaultAction[] = []
    if (rule.delay) actions.push({ kind: 'delay', ms: drawDelay(rule.delay, state.random) })
    if (rule.response) actions.push(rule.response)
    const decision = {
      scenarioId: scenario.id,
      rule,
      actions,
      intentional:
        rule.response?.kind === 'malformed-body' ||
        (rule.response?.kind === 'respond' && rule.undeclared),
    }
    return { ...decision, label: describe(decision) }
  }
  return undefined
}

function drawDelay(delay: DelaySpec, random: Random): number {
  return delay.kind === 'fixed' ? delay.ms : random.int(delay.minMs, delay.maxMs)
}
