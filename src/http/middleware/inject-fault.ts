import type { RequestHandler } from 'express'
import type { Violation } from '../../contract/index.js'
import { SCENARIO_HEADER, type ScenarioEngine } from '../../scenario/index.js'
import type { FaultInjector } from '../fault-injector.js'
import type { RequestContext } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

function unknownScenario(operationId: string, id: string): Violation {
  return {
    direction: 'request',
    operationId,
    location: 'header',
    path: `header.${SCENARIO_HEADER}`,
    keyword: SCENARIO_HEADER,
    message: `${SCENARIO_HEADER}: callsim has no scenario "${id.slice(0, 64)}"; list them with GET /_callsim/scenarios or \`callsim scenarios\``,
  }
}

/**
 * Selects the governing scenario of an authenticated request and lets its fault plan act
 * before the body is validated, so a fault hits good and bad requests alike. When a scenario
 * looks at the body, the body is read first (by the parse-body stage, once).
 */
export function injectFault(
  scenarios: ScenarioEngine,
  inject: FaultInjector,
  readBody: RequestHandler,
  send: SendReply,
): RequestHandler {
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    const operation = context.operation
    if (!operation || context.face.controlPlane) {
      next()
      return
    }
    const decide = (): void => {
      const selected = scenarios.select({
        headers: req.headers,
        body: context.body,
        remoteAddress: undefined,
        subscriber: context.principal?.sub,
      })
      if (!selected.ok) {
        const violation = unknownScenario(operation.operationId, selected.error.id)
        context.requestViolations = [violation]
        send(
          req,
          res,
          context.face.formatError({ kind: 'invalid-request', violations: [violation] }),
        )
        return
      }
      context.scenarioId = selected.value.scenario.id
      const decision = scenarios.decideFault(selected.value.scenario, {
        operationId: operation.operationId,
        headers: req.headers,
        body: context.body,
      })
      if (decision) inject(decision, req, res, next)
      else next()
    }
    if (scenarios.needsBody(operation.operationId)) {
      readBody(req, res, (error?: unknown) => (error === undefined ? decide() : next(error)))
    } else {
      decide()
    }
  }
}
