import type { IncomingMessage, ServerResponse } from 'node:http'
import express, { type Express, type RequestHandler } from 'express'
import type { Face } from '../apis/index.js'
import { faceFor, orderFaces, readCorrelator, type Logger } from '../http/index.js'
import { answerLocally, type Exchange } from './exchange.js'
import { forwardExchange } from './forward-exchange.js'
import type { ProxyAppOptions } from './proxy-options.js'

/**
 * The proxy's Express app: each request on a face is read, judged against the face's spec,
 * forwarded to the provider, and the provider's answer judged and passed back unchanged
 * (forward-exchange.ts). The control API's journal and violations list both sides' violations;
 * the relay path takes the provider's callbacks.
 */
export function createProxyApp(options: ProxyAppOptions): Express {
  const { logger, relay } = options
  const faces = orderFaces([...options.faces, options.controlPlane.face])

  const handle: RequestHandler = (req, res, next) => {
    const path = req.path
    if (relay && path.startsWith(relay.pathPrefix)) {
      relay.handle(req, res)
      return
    }
    const { face, rest } = faceFor(faces, options.fallbackFace, path)
    const exchange: Exchange = {
      startedAt: performance.now(),
      at: Date.now(),
      face,
      operation: undefined,
      pathParams: {},
      allowed: undefined,
      correlator: readCorrelator(req.headers['x-correlator']),
    }
    const { controlPlane } = options
    if (face === controlPlane.face && rest !== undefined) {
      const match = face.spec.index.match(req.method, rest)
      if (match.kind === 'matched' && controlPlane.operations.has(match.target.operationId)) {
        controlPlane.handler(req, res, next)
        return
      }
    }
    // A path under no face, or a control API operation the proxy does not serve.
    if (rest === undefined || face === controlPlane.face) {
      answerLocally(
        options,
        req,
        res,
        exchange,
        face.formatError({ kind: 'route-not-found', method: req.method, path }),
      )
      return
    }
    const match = face.spec.index.match(req.method, rest)
    const routed =
      match.kind === 'matched'
        ? { ...exchange, operation: match.target, pathParams: match.pathParams }
        : match.kind === 'method-not-allowed'
          ? { ...exchange, allowed: match.allowed }
          : exchange
    forwardExchange(options, req, res, routed, rest).catch((error: unknown) => next(error))
  }

  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.set('query parser', 'simple')
  app.use(handle)
  app.use(lastResort(logger, options.fallbackFace))
  return app
}

/** A bug in the proxy: logged with its stack; the client gets the face's 500, never a stack trace. */
function lastResort(logger: Logger, fallback: Face) {
  return (
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    _next: (error?: unknown) => void,
  ): void => {
    logger.error(
      { err: error, method: req.method },
      'callsim proxy failed while handling a request',
    )
    if (res.headersSent) {
      res.destroy()
      return
    }
    const reply = fallback.formatError({
      kind: 'internal',
      message:
        'callsim proxy failed unexpectedly while forwarding this request; the details are in its log.',
    })
    res.statusCode = reply.status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(reply.body))
  }
}
