import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { Face, FaceResponse, GoverningScenario, Principal } from '../apis/index.js'
import type { CompiledOperation, Violation } from '../contract/index.js'

/** What the pipeline stages learn about one request, kept on `res.locals.callsim`. */
export interface RequestContext {
  readonly startedAt: number
  correlator: string | undefined
  face: Face
  operation: CompiledOperation | undefined
  pathParams: Record<string, unknown>
  /**
   * The query, parsed once: Express's `req.query` parses again on every read, and request
   * validation coerces and defaults the values here for the handler to see.
   */
  query: Record<string, unknown>
  principal: Principal | undefined
  hasBody: boolean
  body: unknown
  /** The request body's bytes as received, for the journal. */
  bodyBytes: Buffer | undefined
  requestViolations: readonly Violation[]
  /** Chosen once, by the fault stage; the handler and the journal see this one. */
  scenario: GoverningScenario | undefined
  fault: string | undefined
  /** The body stream has been consumed (parse-body may run early, for fault matchers). */
  bodyRead?: boolean
  /**
   * The JSONP function name of an `x-jsonp-callback` operation, once checked: every reply is
   * then sent as `<name>(<JSON>);` (read-jsonp-callback.ts, send-reply.ts).
   */
  jsonpCallback?: string
  /** The reply is an injected fault marked undeclared: not checked, not a callsim violation. */
  intentionalFault?: boolean
  reply: FaceResponse | undefined
  /**
   * A control-plane request that matched no operation (its spec document, or a miss): answered
   * once the gate has let it by.
   */
  answerMiss?: () => void
}

/** The context once routing has found the operation. */
type RoutedContext = RequestContext & { operation: CompiledOperation }

/** A pipeline stage that acts only on requests routed to an operation. */
export type OperationStage = (
  req: Request,
  res: Response,
  next: NextFunction,
  context: RoutedContext,
) => void

/**
 * Runs `stage` for a request that routing matched to an operation and passes any other request
 * on: the route stage has already answered those, so later stages have nothing to do.
 */
export function operationStage(stage: OperationStage): RequestHandler {
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    if (context.operation) stage(req, res, next, context as RoutedContext)
    else next()
  }
}
