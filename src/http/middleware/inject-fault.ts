import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Face, RemoteAddressReader } from '../../apis/index.js'
import type { CompiledOperation, Violation } from '../../contract/index.js'
import { SCENARIO_HEADER, type ScenarioEngine } from '../../scenario/index.js'
import type { FaultInjector } from '../fault-injector.js'
import { operationStage, type RequestContext } from '../request-context.js'
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

/** Scenarios govern the faces' operations; the control plane has none. */
export const mayInjectFault = (face: Face, operation: CompiledOperation | undefined): boolean =>
  operation !== undefined && face.controlPlane !== true

/**
 * Chooses the governing scenario of an authenticated request, once: the handler and the
 * journal get this choice through the request context. Its fault plan then acts before the
 * body is validated, so a fault hits good and bad requests alike. When a scenario looks at
 * the body, or at a remote address the face reads from it, the body is read first (by the
 * parse-body stage, once).
 */
export function injectFault(
  scenarios: ScenarioEngine,
  inject: FaultInjector,
  readBody: RequestHandler,
  send: SendReply,
): RequestHandler {
  const decide = (
    req: Request,
    res: Response,
    next: NextFunction,
    context: RequestContext & { operation: CompiledOperation },
    remoteAddress: RemoteAddressReader | undefined,
  ): void => {
    const { operation } = context
    const selected = scenarios.select({
      headers: req.headers,
      body: context.body,
      remoteAddress: remoteAddress?.read({ pathParams: context.pathParams, body: context.body }),
      subscriber: context.principal?.sub,
    })
    if (!selected.ok) {
      const violation = unknownScenario(operation.operationId, selected.error.id)
      context.requestViolations = [violation]
      send(req, res, context.face.formatError({ kind: 'invalid-request', violations: [violation] }))
      return
    }
    context.scenario = selected.value.scenario
    const decision = scenarios.decideFault(selected.value.scenario, {
      operationId: operation.operationId,
      headers: req.headers,
      body: context.body,
    })
    if (decision) inject(decision, req, res, next)
    else next()
  }
  return operationStage((req, res, next, context) => {
    const remoteAddress = context.face.remoteAddresses?.[context.operation.operationId]
    if (scenarios.needsBody(context.operation.operationId, remoteAddress?.inBody)) {
      readBody(req, res, (error?: unknown) =>
        error === undefined ? decide(req, res, next, context, remoteAddress) : next(error),
      )
    } else {
      decide(req, res, next, context, remoteAddress)
    }
  })
}
