import type { RequestHandler } from 'express'
import type { Face } from '../../apis/index.js'
import {
  MAX_JSONP_CALLBACK_LENGTH,
  isJsonpCallbackName,
  type CompiledOperation,
  type Violation,
} from '../../contract/index.js'
import type { RequestContext } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

/** Only operations marked `x-jsonp-callback` read a callback name. */
export const takesJsonpCallback = (
  _face: Face,
  operation: CompiledOperation | undefined,
): boolean => operation?.jsonpCallback !== undefined

/**
 * For an operation marked `x-jsonp-callback`, reads the function name that the reply will
 * call, before anything else can answer: from here on every reply, failures included, reaches
 * the page's function (send-reply.ts). A name that is missing where the spec requires it, or
 * that is not a plain (optionally dotted) JavaScript identifier, gets the face's 400 in JSON;
 * the message never repeats the value, which could be script aimed at the page.
 */
export function readJsonpCallback(send: SendReply): RequestHandler {
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    const operation = context.operation
    const name = operation?.jsonpCallback
    if (operation === undefined || name === undefined) {
      next()
      return
    }
    const value = context.query[name]
    const required = operation.parameters.some(
      (parameter) => parameter.in === 'query' && parameter.name === name && parameter.required,
    )
    if (value === undefined && !required) {
      next()
      return
    }
    if (isJsonpCallbackName(value)) {
      context.jsonpCallback = value
      next()
      return
    }
    const violation: Violation = {
      direction: 'request',
      operationId: operation.operationId,
      location: 'query',
      path: `query.${name}`,
      keyword: value === undefined ? 'required' : 'jsonp-callback',
      message:
        value === undefined
          ? `query parameter ${name} is required: the name of the JavaScript function the response calls`
          : `query parameter ${name} must be a JavaScript identifier, optionally dotted (e.g. c2c.onStatus), of at most ${MAX_JSONP_CALLBACK_LENGTH} characters; the value sent is not one and is not repeated here`,
    }
    context.requestViolations = [violation]
    send(req, res, context.face.formatError({ kind: 'invalid-request', violations: [violation] }))
  }
}
