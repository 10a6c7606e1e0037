import { err, ok, type Random, type Result, type StateChanges } from '../core/index.js'
import { FaultState, decideFault, type FaultDecision, type FaultRequest } from './fault-plan.js'
import type { Scenario } from './scenario.js'
import {
  createScenarioLibrary,
  selectScenario,
  type Activations,
  type ScenarioLibrary,
  type Selection,
  type SelectionContext,
  type UnknownScenario,
} from './select-scenario.js'

/** Which operations need the request body parsed before a scenario can be selected or a fault decided. */
interface BodyNeeds {
  readonly all: boolean
  readonly operations: ReadonlySet<string>
  /** Some `match` tests the remote address, which a face may read from the body. */
  readonly remoteAddress: boolean
}

function bodyNeedsOf(library: ScenarioLibrary): BodyNeeds {
  let all = library.matching.some((scenario) => (scenario.match?.body.length ?? 0) > 0)
  const remoteAddress = library.matching.some(
    (scenario) => scenario.match?.remoteAddress !== undefined,
  )
  const operations = new Set<string>()
  for (const scenario of library.byId.values()) {
    for (const rule of scenario.faults) {
      if (rule.when.body.length === 0) continue
      if (rule.operations) rule.operations.forEach((id) => operations.add(id))
      else all = true
    }
  }
  return { all, operations, remoteAddress }
}

/**
 * The running scenario state of one simulator: the loaded library (swapped whole on reload),
 * the activations made through the control API and the fault counters. Pure: the HTTP shell
 * asks, this decides.
 */
export class ScenarioEngine {
  private library: ScenarioLibrary
  private bodyNeeds: BodyNeeds
  private global: string | undefined
  private readonly subscribers = new Map<string, string>()
  private readonly faults: FaultState

  /** `changes` records how to undo activations, while a request's change is open. */
  constructor(
    scenarios: readonly Scenario[],
    random: Random,
    private readonly changes?: StateChanges,
  ) {
    this.library = createScenarioLibrary(scenarios)
    this.bodyNeeds = bodyNeedsOf(this.library)
    this.faults = new FaultState(random)
  }

  /**
   * Swaps in a new library. Live calls keep the lifecycle they started with; fault counters
   * start again; activations of scenarios that no longer exist are dropped and returned.
   */
  replace(scenarios: readonly Scenario[]): { droppedActivations: string[] } {
    this.library = createScenarioLibrary(scenarios)
    this.bodyNeeds = bodyNeedsOf(this.library)
    this.faults.clear()
    const dropped: string[] = []
    if (this.global !== undefined && !this.library.byId.has(this.global)) {
      dropped.push(`${this.global} (global)`)
      this.global = undefined
    }
    for (const [subscriber, id] of this.subscribers) {
      if (this.library.byId.has(id)) continue
      dropped.push(`${id} (${subscriber})`)
      this.subscribers.delete(subscriber)
    }
    return { droppedActivations: dropped }
  }

  /** Every scenario, in id order. */
  list(): Scenario[] {
    return [...this.library.byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  get(id: string): Scenario | undefined {
    return this.library.byId.get(id)
  }

  /** Governs every request (or only a subscriber's requests) that no header or match claims. */
  activate(id: string, subscriber?: string): Result<Activations, UnknownScenario> {
    if (!this.library.byId.has(id)) return err({ kind: 'unknown-scenario', id })
    this.rememberActivations()
    if (subscriber === undefined) this.global = id
    else this.subscribers.set(subscriber, id)
    return ok(this.activations())
  }

  /** Returns whether a scenario was active there. */
  deactivate(subscriber?: string): boolean {
    this.rememberActivations()
    if (subscriber !== undefined) return this.subscribers.delete(subscriber)
    const was = this.global !== undefined
    this.global = undefined
    return was
  }

  activations(): Activations {
    return { global: this.global, subscribers: new Map(this.subscribers) }
  }

  select(context: SelectionContext): Result<Selection, UnknownScenario> {
    return selectScenario(
      this.library,
      { global: this.global, subscribers: this.subscribers },
      context,
    )
  }

  /**
   * Whether the body must be parsed before this operation's scenario is chosen: a matcher or a
   * fault rule looks at it, or a `match` tests a remote address that the request carries in it.
   */
  needsBody(operationId: string, remoteAddressInBody = false): boolean {
    return (
      this.bodyNeeds.all ||
      this.bodyNeeds.operations.has(operationId) ||
      (remoteAddressInBody && this.bodyNeeds.remoteAddress)
    )
  }

  decideFault(scenario: Scenario, request: FaultRequest): FaultDecision | undefined {
    return scenario.faults.length === 0 ? undefined : decideFault(scenario, request, this.faults)
  }

  /** Back to the start-up state: no activations, fault counts from zero. */
  reset(): void {
    this.rememberActivations()
    this.global = undefined
    this.subscribers.clear()
    this.faults.clear()
  }

  private rememberActivations(): void {
    if (!this.changes?.open) return
    const { global, subscribers } = this.activations()
    this.changes.record(() => {
      this.global = global
      this.subscribers.clear()
      for (const [subscriber, id] of subscribers) this.subscribers.set(subscriber, id)
    })
  }
}
