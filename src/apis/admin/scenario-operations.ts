import type { FaceRequest, FaceResponse, OperationHandler } from '../face.js'
import type { Control } from './control.js'
import { invalidArgument, scenarioNotFound } from './errors.js'
import { toAdminActivations, toAdminScenario, toAdminScenarioSummary } from './to-admin-scenario.js'

function activate(control: Control, request: FaceRequest, subscriber?: string): FaceResponse {
  const { scenarioId } = request.body as { scenarioId: string }
  const activated = control.activateScenario(scenarioId, subscriber)
  if (!activated.ok) return invalidArgument(`scenarioId: ${activated.error}`)
  return { status: 200, body: toAdminActivations(activated.value) }
}

/** The scenario routes of spec/callsim-admin.yaml: list, inspect, activate, deactivate. */
export function createScenarioAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    listScenarios: () => {
      const scenarios = control.scenarios().map(toAdminScenarioSummary)
      return { status: 200, body: { total: scenarios.length, scenarios } }
    },
    getScenario: (request) => {
      const id = String(request.pathParams.scenarioId)
      const scenario = control.scenario(id)
      if (!scenario) return scenarioNotFound(id)
      return { status: 200, body: toAdminScenario(scenario) }
    },
    listScenarioActivations: () => ({
      status: 200,
      body: toAdminActivations(control.scenarioActivations()),
    }),
    activateScenarioGlobally: (request) => activate(control, request),
    deactivateScenarioGlobally: () => {
      control.deactivateScenario()
      return { status: 204 }
    },
    activateScenarioForSubscriber: (request) =>
      activate(control, request, String(request.pathParams.subscriber)),
    deactivateScenarioForSubscriber: (request) => {
      control.deactivateScenario(String(request.pathParams.subscriber))
      return { status: 204 }
    },
  }
}
