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
}
