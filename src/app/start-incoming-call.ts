import type { GoverningScenario, IncomingCallError, IncomingCallRequest } from '../apis/index.js'
import {
  SeededSdp,
  err,
  ok,
  type Call,
  type Lifecycle,
  type LifecycleStep,
  type Network,
  type Registrations,
  type Result,
  type Subscriptions,
} from '../core/index.js'
import { EVENT_TYPES } from '../notify/index.js'
import type { Faker } from '@faker-js/faker'

/**
 * How long the network lets an unanswered incoming call ring before it reports NoAnswer.
 * Networks use 30 to 180 s (SIP timers, operator no-answer timers); 60 s is a middle value.
 */
const DEFAULT_NO_ANSWER_MS = 60_000

export interface IncomingCallDeps {
  readonly network: Network
  readonly registrations: Registrations
  readonly subscriptions: Subscriptions
  /** The loaded scenario with this id (the request names it as x-callsim-scenario names one). */
  readonly scenarioById: (id: string) => GoverningScenario | undefined
  /** `required`: only a subscriber with a registered device can be called. */
  readonly registration: 'required' | 'optional'
  /** Generates the caller's SDP offer; a faker of its own so call ids stay as seeded. */
  readonly faker: Faker
}

/**
 * What the simulated caller does when no scenario says otherwise: give up after
 * `cancelAfterMs` (SessionCancelled) if asked, else wait for the network's no-answer timer.
 * Steps that no longer fit (the client answered) are skipped by the network.
 */
function callerLifecycle(
  cancelAfterMs: number | undefined,
  noAnswerAfterMs = DEFAULT_NO_ANSWER_MS,
): Lifecycle {
  const steps: LifecycleStep[] = [
    { delayMs: noAnswerAfterMs, from: 'creation', action: { kind: 'status', status: 'NoAnswer' } },
  ]
  if (cancelAfterMs !== undefined)
    steps.push({ delayMs: cancelAfterMs, from: 'creation', action: { kind: 'hang-up' } })
  return { steps: steps.sort((a, b) => a.delayMs - b.delayMs) }
}

/**
 * Termination (docs/architecture.md): the network offers a call to `to`, which starts in Initial; the
 * notifier sends session-invitation to the callee's invitation subscriptions while the call
 * is created, and the client answers through CAMARA call handling.
 */
export function startIncomingCall(
  deps: IncomingCallDeps,
  request: IncomingCallRequest,
): Result<{ call: Call; invitedSubscriptions: readonly string[] }, IncomingCallError> {
  if (deps.registration === 'required' && deps.registrations.activeFor(request.to).length === 0) {
    return err({ kind: 'not-registered', to: request.to })
  }
  let scenarioId = 'incoming-call'
  let lifecycle = callerLifecycle(request.cancelAfterMs, request.noAnswerAfterMs)
  if (request.scenario !== undefined) {
    const scenario = deps.scenarioById(request.scenario)
    if (!scenario) return err({ kind: 'unknown-scenario', scenario: request.scenario })
    scenarioId = scenario.id
    lifecycle = scenario.lifecycle
  }
  const invitedSubscriptions = deps.subscriptions
    .matching(EVENT_TYPES.sessionInvitation, request.to)
    .map((s) => s.id)
  const call = deps.network.offerIncomingCall({
    originator: { address: request.from, name: request.fromName },
    receiver: { address: request.to },
    offer: request.offer ?? new SeededSdp(deps.faker.number.int(0x7fffffff)),
    owner: request.to,
    via: 'admin',
    scenarioId,
    lifecycle,
  })
  return ok({ call, invitedSubscriptions })
}
