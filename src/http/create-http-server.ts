import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http'
import type { Express } from 'express'
import type { Logger } from './logger.js'
import type { ServerLimits } from './server-limits.js'

/**
 * The HTTP server for an Express app, with each request and response built on the app's own
 * prototypes from the start. Express otherwise moves every one of them onto those prototypes
 * with Object.setPrototypeOf. In V8 that kept each request's objects alive long enough to be
 * promoted out of the young generation: an Express app that answers every request with fixed
 * JSON promoted ~6.7 KB per request this way, and handled ~40 % fewer requests a second than
 * with the prototypes in place (docs/performance.md). Node's createServer takes the request and
 * response classes as options: these are subclasses of Node's own whose prototypes take the
 * place of the app's (same parent, same `app` property), so Express's call changes nothing.
 *
 * The server applies callsim's limits and timeouts. Requests that break HTTP itself (a bad
 * Content-Length, a broken chunk, headers too large or too slow) get Node's bare 400, 431 or
 * 408 and a closed connection: they never reach a face.
 */
export function createExpressServer(app: Express, limits: ServerLimits, logger: Logger): Server {
  // Subclasses, so that V8 lays their objects out for every field Node's constructors set; a
  // plain function calling those constructors, or Reflect.construct with another new.target,
  // left most fields in a growing out-of-object store and made construction ~30 times dearer.
  class ExpressRequest extends IncomingMessage {}
  class ExpressResponse extends ServerResponse {}
  app.request = standIn(ExpressRequest.prototype, app.request) as unknown as Express['request']
  app.response = standIn(ExpressResponse.prototype, app.response) as unknown as Express['response']
  const server = createServer(
    {
      IncomingMessage: ExpressRequest,
      ServerResponse: ExpressResponse,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: limits.timeoutCheckIntervalMs,
    },
    app,
  )
  server.maxConnections = limits.maxConnections
  // A client that half-closes its side once the request is sent (`nc -N`, `curl` over some
  // proxies, raw sockets in tests) still gets its answer: by default Node aborts the request
  // and ends the socket on the client's FIN, which lost the reply of every handler that
  // awaits (POST /_callsim/tokens). With this, the socket ends after the last reply instead.
  // Node reads this property in its 'end' handler; it is not in @types/node.
  Object.assign(server, { httpAllowHalfOpen: true })
  // The last resort: Node guards a connection's socket only while it parses HTTP on it. An error
  // on a socket with no listener left would end the process; log it instead.
  server.on('connection', (socket) => {
    socket.on('error', (error: NodeJS.ErrnoException) => {
      logger.debug({ code: error.code, message: error.message }, 'a client connection failed')
    })
  })
  return server
}

/** Makes `prototype` what Express's `appPrototype` was: the same parent and own properties (`app`). */
function standIn<T extends object>(prototype: T, appPrototype: object): T {
  const { constructor: _constructor, ...own } = Object.getOwnPropertyDescriptors(appPrototype)
  Object.setPrototypeOf(prototype, Object.getPrototypeOf(appPrototype) as object)
  Object.defineProperties(prototype, own)
  return prototype
}
