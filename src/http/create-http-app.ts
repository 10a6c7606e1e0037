import express, { type Express } from 'express'
import type { Face } from '../apis/index.js'
import type { ScenarioEngine } from '../scenario/index.js'
import type { DrainLimits } from './drain-then-answer.js'
import { errorHandler } from './error-handler.js'
import { createFaultInjector } from './fault-injector.js'
import type { Journal } from './journal.js'
import type { Logger } from './logger.js'
import { authenticate, needsToken, type TokenVerifier } from './middleware/authenticate.js'
import {
  guardControlPlane,
  isControlPlane,
  type ControlPlaneAccess,
} from './middleware/guard-control-plane.js'
import { handleOperation, type RequestChanges } from './middleware/handle-operation.js'
import { injectFault, mayInjectFault } from './middleware/inject-fault.js'
import { parseBody } from './middleware/parse-body.js'
import { readJsonpCallback, takesJsonpCallback } from './middleware/read-jsonp-callback.js'
import { route } from './middleware/route.js'
import { validateRequest } from './middleware/validate-request.js'
import { runStages } from './run-stages.js'
import { planStages, routedToOperation } from './stage-plan.js'
import { createSpecDocuments } from './spec-documents.js'
import { createSendReply } from './send-reply.js'
import { servePages, type Pages } from './serve-pages.js'

export interface HttpAppOptions {
  readonly faces: readonly Face[]
  /** Formats errors for paths that belong to no face. */
  readonly fallbackFace: Face
  readonly verifier: TokenVerifier
  readonly journal: Journal
  readonly logger: Logger
  readonly now: () => number
  readonly strict: boolean
  readonly bodyLimitBytes: number
  /** How much of a refused (413) body is discarded before the answer. */
  readonly drainLimits: DrainLimits
  /** Selects each request's governing scenario and decides its faults. */
  readonly scenarios: ScenarioEngine
  /** Host names the control plane answers besides loopback ones. */
  readonly controlPlane: ControlPlaneAccess
  /** Waits on the simulator's clock (fault latency). */
  readonly wait: (ms: number, task: () => void) => void
  /** The text each face's spec was loaded from, served at `<base>/openapi.yaml` and `.json`. */
  readonly specText: (face: Face) => string | undefined
  /** Static pages beside the faces (the web console at /_callsim/ui). */
  readonly pages?: Pages
  /**
   * Where a handler's changes wait until its answer is known to be sendable: committed then,
   * rolled back if callsim's own error takes its place (docs/errors.md).
   */
  readonly changes?: RequestChanges
}

/**
 * The Express app: one entry point whose stages run in the order of docs/architecture.md — the
 * console's static pages, route (which also reads the correlator), guard the control plane, the
 * JSONP callback name (so that even a refused token reaches a page's function), authenticate,
 * inject fault, parse body, validate request, handle; every reply is validated, journaled and
 * given its x-correlator on its way out. The stages after routing are planned once per
 * operation (stage-plan.ts): a request passes only through those that apply to it.
 */
export function createHttpApp(options: HttpAppOptions): Express {
  const send = createSendReply(options)
  const readBody = parseBody(options.bodyLimitBytes, options.drainLimits, send)
  const inject = createFaultInjector({ ...options, send })
  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.set('query parser', 'simple')
  app.use(
    runStages(
      [
        // Pages first, as a stage: a layer of Express's own router would cost every API
        // request ~3 µs of dispatch (docs/performance.md).
        ...(options.pages ? [servePages(options.pages)] : []),
        route(
          options.faces,
          options.fallbackFace,
          send,
          createSpecDocuments(options.specText, options.journal, options.now),
        ),
      ],
      planStages([
        { handle: guardControlPlane(options.controlPlane, send), appliesTo: isControlPlane },
        { handle: readJsonpCallback(send), appliesTo: takesJsonpCallback },
        { handle: authenticate(options.verifier, send), appliesTo: needsToken },
        {
          handle: injectFault(options.scenarios, inject, readBody, send),
          appliesTo: mayInjectFault,
        },
        { handle: readBody, appliesTo: routedToOperation },
        { handle: validateRequest(send), appliesTo: routedToOperation },
        { handle: handleOperation(send, options.changes), appliesTo: routedToOperation },
      ]),
    ),
  )
  app.use(errorHandler(options.fallbackFace, send, options.logger))
  return app
}
