import type { RequestHandler } from 'express'
import type { FaceRequest, FaceResponse } from '../../apis/index.js'
import { continueSafely } from '../continue-safely.js'
import { operationStage } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

/** Calls the face's handler for the operationId with a plain request object. */
export function handleOperation(send: SendReply): RequestHandler {
  return operationStage((req, res, next, context) => {
    const { operation } = context
    const handler = context.face.handlers[operation.operationId]
    if (!handler) {
      send(
        req,
        res,
        context.face.formatError({
          kind: 'internal',
          message: `callsim has no handler for ${operation.operationId}`,
        }),
      )
      return
    }
    const request: FaceRequest = {
      operation,
      pathParams: context.pathParams,
      query: context.query,
      headers: req.headers,
      body: context.body,
      principal: context.principal,
      scenario: context.scenario,
    }
    const reply = handler(request)
    if (reply instanceof Promise) {
      reply.then(
        continueSafely(next, (value: FaceResponse) => send(req, res, value)),
        next,
      )
    } else {
      send(req, res, reply)
    }
  })
}
