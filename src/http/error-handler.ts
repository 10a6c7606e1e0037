import type { ErrorRequestHandler, Response } from 'express'
import type { Face } from '../apis/index.js'
import type { Logger } from './logger.js'
import { redactedUrl } from './redacted-url.js'
import { readCorrelator } from './middleware/correlator.js'
import type { RequestContext } from './request-context.js'
import type { SendReply } from './send-reply.js'

const MESSAGE =
  'callsim failed unexpectedly while handling this request; the details are in its log.'

/**
 * The last resort: an exception means callsim itself is wrong. The client gets the face's 500
 * with no stack trace; the log gets the stack, and the journal the request.
 */
export function errorHandler(fallback: Face, send: SendReply, logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    logger.error(
      { err: error, method: req.method, path: redactedUrl(req) },
      `callsim failed while handling ${req.method} ${redactedUrl(req)}`,
    )
    try {
      const context = res.locals.callsim as RequestContext | undefined
      const face = context?.face ?? fallback
      if (!context) {
        // Failed before routing: the reply still echoes a valid x-correlator, as every reply does.
        res.locals.callsim = {
          startedAt: performance.now(),
          correlator: readCorrelator(req.headers['x-correlator']),
          face,
          operation: undefined,
          requestViolations: [],
          bodyBytes: undefined,
        }
      }
      send(req, res, face.formatError({ kind: 'internal', message: MESSAGE }))
    } catch (failure) {
      // Even the 500 could not be built: send a fixed one rather than Express's HTML page.
      logger.error({ err: failure }, 'callsim failed while answering a failed request')
      sendBare500(res)
    }
  }
}

function sendBare500(res: Response): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  res.statusCode = 500
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ status: 500, code: 'INTERNAL', message: MESSAGE }))
}
