import type { RequestHandler } from 'express'
import { validateRequest as validateAgainstSpec } from '../../contract/index.js'
import { operationStage } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

/**
 * Checks parameters and body against the operation. A wrong media type is answered before
 * the body is looked at; any other violation becomes the face's 400.
 */
export function validateRequest(send: SendReply): RequestHandler {
  return operationStage((req, res, next, context) => {
    const result = validateAgainstSpec(context.operation, {
      pathParams: context.pathParams,
      query: context.query,
      headers: req.headers,
      hasBody: context.hasBody,
      contentType: req.headers['content-type'],
      body: context.body,
    })
    context.requestViolations = result.violations
    if (result.unsupportedMediaType) {
      const message = result.violations[0]?.message ?? 'unsupported Content-Type'
      send(req, res, context.face.formatError({ kind: 'unsupported-media-type', message }))
      return
    }
    if (result.violations.length === 0) {
      next()
      return
    }
    const missing = result.violations.filter((v) => v.keyword === 'missing-path-parameter')
    if (missing.length > 0) {
      // An empty path segment names no resource, so the answer is about the URI, not the
      // operation: a protocol response, as for an unknown path, since some releases (r1.2's
      // getSessionDetailsById) declare no 400 (docs/call-handling.md, empty path parameters).
      const answer = context.face.formatError({ kind: 'invalid-request', violations: missing })
      send(req, res, { ...answer, protocol: true })
      return
    }
    send(
      req,
      res,
      context.face.formatError({ kind: 'invalid-request', violations: result.violations }),
    )
  })
}
