import type { RequestHandler } from 'express'
import type { FaceRequest, FaceResponse } from '../../apis/index.js'
import { continueSafely } from '../continue-safely.js'
import { operationStage } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

/** What the pipeline needs of the simulator's StateChanges (src/core/state-changes.ts). */
export interface RequestChanges {
  begin(): void
  commit(): void
  rollback(): void
}

/**
 * Calls the face's handler for the operationId with a plain request object. Its changes to the
 * network stay open until the reply has been validated and serialised: a reply that turns into
 * a 5xx there (strict mode's contract check, a body JSON cannot write) rolls them back, so a
 * call exists only if its 201 could be sent. A handler that awaits commits what it changed
 * before its first await (only createToken awaits, and it changes nothing).
 */
export function handleOperation(send: SendReply, changes?: RequestChanges): RequestHandler {
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
    changes?.begin()
    let reply: FaceResponse | Promise<FaceResponse>
    try {
      reply = handler(request)
    } catch (error) {
      changes?.rollback()
      throw error
    }
    if (reply instanceof Promise) {
      changes?.commit()
      reply.then(
        continueSafely(next, (value: FaceResponse) => send(req, res, value)),
        next,
      )
      return
    }
    let sentAsGiven: boolean | undefined
    try {
      sentAsGiven = send(req, res, reply)
    } finally {
      // Not as given: callsim's 500 went out instead (under JSONP, a 200 that says so), or
      // nothing did (JSON could not write the body, and the error handler answers).
      if (sentAsGiven === true) changes?.commit()
      else changes?.rollback()
    }
  })
}
