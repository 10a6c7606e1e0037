import type { Activations, Scenario } from '../../scenario/index.js'

/** A scenario as `GET /_callsim/scenarios` lists it. */
export function toAdminScenarioSummary(scenario: Scenario): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: scenario.id,
    description: scenario.description,
    source: scenario.origin.source,
    selectedByMatch: scenario.match !== undefined,
    lifecycleSteps: scenario.lifecycle.steps.length,
    faultRules: scenario.faults.length,
  }
  if (scenario.origin.line !== undefined) view.line = scenario.origin.line
  return view
}

/** One scenario with its definition as written, for `GET /_callsim/scenarios/{scenarioId}`. */
export function toAdminScenario(scenario: Scenario): Record<string, unknown> {
  return { ...toAdminScenarioSummary(scenario), definition: scenario.definition }
}

export function toAdminActivations(activations: Activations): Record<string, unknown> {
  return {
    global: activations.global ?? null,
    subscribers: [...activations.subscribers].map(([subscriber, scenarioId]) => ({
      subscriber,
      scenarioId,
    })),
  }
}
