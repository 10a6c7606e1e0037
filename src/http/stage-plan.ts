import type { Request, RequestHandler, Response } from 'express'
import type { Face } from '../apis/index.js'
import type { CompiledOperation } from '../contract/index.js'
import type { RequestContext } from './request-context.js'

/** A stage that runs once routing is done, and the routes it can act on. */
export interface RoutedStage {
  readonly handle: RequestHandler
  /**
   * Whether the stage can act on a request routed to `operation` of `face` (undefined: a route
   * miss). Asked once per operation, never per request.
   */
  readonly appliesTo: (face: Face, operation: CompiledOperation | undefined) => boolean
}

/** The stages of one face: for its route misses (once one came), and per operation. */
interface FacePlans {
  miss: readonly RequestHandler[] | undefined
  readonly operations: Map<CompiledOperation, readonly RequestHandler[]>
}

/**
 * The stages each request passes through after routing, decided once per face and operation:
 * a CAMARA request never meets the control plane's gate, a request without a JSONP callback
 * never looks for one, one whose operation needs no token skips authentication. Each request
 * then pays for what applies to it only.
 */
export function planStages(
  stages: readonly RoutedStage[],
): (req: Request, res: Response) => readonly RequestHandler[] {
  const plans = new WeakMap<Face, FacePlans>()
  const planFor = (face: Face, operation: CompiledOperation | undefined): RequestHandler[] =>
    stages.filter((stage) => stage.appliesTo(face, operation)).map((stage) => stage.handle)
  return (_req, res) => {
    const { face, operation } = res.locals.callsim as RequestContext
    let facePlans = plans.get(face)
    if (facePlans === undefined) {
      facePlans = { miss: undefined, operations: new Map() }
      plans.set(face, facePlans)
    }
    if (operation === undefined) return (facePlans.miss ??= planFor(face, undefined))
    let plan = facePlans.operations.get(operation)
    if (plan === undefined) {
      plan = planFor(face, operation)
      facePlans.operations.set(operation, plan)
    }
    return plan
  }
}

/** For stages that act only on requests routing matched to an operation. */
export const routedToOperation = (_face: Face, operation: CompiledOperation | undefined): boolean =>
  operation !== undefined
