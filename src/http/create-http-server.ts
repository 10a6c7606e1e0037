import { IncomingMessage, ServerResponse, createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import type { Express } from 'express'

/**
 * The HTTP server for an Express app, with each request and response built on the app's own
 * prototypes from the start. Express otherwise moves every one of them onto those prototypes
 * with Object.setPrototypeOf. In V8 that kept each request's objects alive long enough to be
 * promoted out of the young generation: an Express app that answers every request with fixed
 * JSON promoted ~6.7 KB per request this way, and handled ~40 % fewer requests a second than
 * with the prototypes in place (docs/performance.md). Express's call then changes nothing.
 * Node's createServer takes both constructors as options; its own are plain functions.
 */
export function createExpressServer(app: Express): Server {
  function ExpressRequest(this: IncomingMessage, socket: Socket): void {
    Reflect.apply(IncomingMessage, this, [socket])
  }
  ExpressRequest.prototype = app.request
  function ExpressResponse(this: ServerResponse, request: IncomingMessage, options?: object): void {
    Reflect.apply(ServerResponse, this, [request, options])
  }
  ExpressResponse.prototype = app.response
  return createServer(
    {
      IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
      ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
    },
    app,
  )
}
