import { DEFAULT_LIFECYCLE, err, ok, type Result } from '../core/index.js'
import { matchesRequest, type MatchableRequest } from './match-request.js'
import { DEFAULT_SCENARIO_ID, SCENARIO_HEADER, type Scenario } from './scenario.js'

/**
 * Used when no scenario file defines `default` (unit tests, an empty library): the same
 * lifecycle as scenarios/default.yaml, which a test keeps in sync.
 */
const BUILT_IN_DEFAULT: Scenario = {
  id: DEFAULT_SCENARIO_ID,
  description:
    'The far end rings, then answers: InProgress after 200ms, Ringing 800ms later, Connected 3s after that.',
  origin: { source: '(built in)', line: undefined, pointer: '', lineOf: () => undefined },
  match: undefined,
  lifecycle: DEFAULT_LIFECYCLE,
  faults: [],
  steps: [],
  definition: { description: 'The far end rings, then answers.' },
}

/** A loaded set of scenarios, indexed for selection. */
export interface ScenarioLibrary {
  readonly byId: ReadonlyMap<string, Scenario>
  /** Scenarios with a `match`, in id order: the first that matches wins. */
  readonly matching: readonly Scenario[]
  readonly fallback: Scenario
}

export function createScenarioLibrary(scenarios: readonly Scenario[]): ScenarioLibrary {
  const sorted = [...scenarios].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const byId = new Map(sorted.map((scenario) => [scenario.id, scenario]))
  if (!byId.has(DEFAULT_SCENARIO_ID)) byId.set(DEFAULT_SCENARIO_ID, BUILT_IN_DEFAULT)
  return {
    byId,
    matching: sorted.filter((scenario) => scenario.match !== undefined),
    fallback: byId.get(DEFAULT_SCENARIO_ID) as Scenario,
  }
}

/** Scenarios switched on through the control API. */
export interface Activations {
  readonly global: string | undefined
  /** Subscriber (token `sub`) → scenario id. */
  readonly subscribers: ReadonlyMap<string, string>
}

type SelectionReason = 'header' | 'match' | 'subscriber' | 'global' | 'default'

export interface Selection {
  readonly scenario: Scenario
  readonly reason: SelectionReason
}

export interface SelectionContext extends MatchableRequest {
  /** The token's subscriber, when the request carried one. */
  readonly subscriber: string | undefined
}

export interface UnknownScenario {
  readonly kind: 'unknown-scenario'
  readonly id: string
}

/** The value of x-callsim-scenario, if the request sent exactly one. */
function requestedScenario(headers: Readonly<Record<string, unknown>>): string | undefined {
  const value = headers[SCENARIO_HEADER]
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

/**
 * The governing scenario of a request, in the documented order: the x-callsim-scenario header,
 * then `match` rules on the request (magic numbers), then the scenario activated for the
 * subscriber, then the one activated for everyone, then `default`.
 */
export function selectScenario(
  library: ScenarioLibrary,
  activations: Activations,
  context: SelectionContext,
): Result<Selection, UnknownScenario> {
  const requested = requestedScenario(context.headers)
  if (requested !== undefined) {
    const scenario = library.byId.get(requested)
    return scenario
      ? ok({ scenario, reason: 'header' })
      : err({ kind: 'unknown-scenario', id: requested })
  }
  const matched = library.matching.find(
    (scenario) => scenario.match && matchesRequest(scenario.match, context),
  )
  if (matched) return ok({ scenario: matched, reason: 'match' })
  const forSubscriber =
    context.subscriber === undefined ? undefined : activations.subscribers.get(context.subscriber)
  const personal = forSubscriber === undefined ? undefined : library.byId.get(forSubscriber)
  if (personal) return ok({ scenario: personal, reason: 'subscriber' })
  const global = activations.global === undefined ? undefined : library.byId.get(activations.global)
  if (global) return ok({ scenario: global, reason: 'global' })
  return ok({ scenario: library.fallback, reason: 'default' })
}
