import type { RequestHandler } from 'express'
import type { Face } from '../../apis/index.js'
import type { RequestContext } from '../request-context.js'
import { readCorrelator } from './correlator.js'
import type { SendReply } from '../send-reply.js'
import type { ServeSpecDocument } from '../spec-documents.js'

/** Faces ordered so that the longest base path wins (`/a/b` before `/a`). */
export function orderFaces(faces: readonly Face[]): Face[] {
  return [...faces].sort((a, b) => b.basePath.length - a.basePath.length)
}

/** The face whose base path `path` is under (faces as orderFaces sorts them), and the rest of it. */
export function faceFor(
  faces: readonly Face[],
  fallback: Face,
  path: string,
): { face: Face; rest: string | undefined } {
  for (const face of faces) {
    const base = face.basePath
    if (path === base) return { face, rest: '/' }
    if (path.startsWith(base) && (base === '' || path[base.length] === '/'))
      return { face, rest: path.slice(base.length) }
  }
  return { face: fallback, rest: undefined }
}

/**
 * Finds the face by base path and the operation through that face's precompiled index:
 * one Express entry point, no per-route middleware stack.
 */
export function route(
  faces: readonly Face[],
  fallback: Face,
  send: SendReply,
  serveSpecDocument: ServeSpecDocument,
): RequestHandler {
  const ordered = orderFaces(faces)
  return (req, res, next) => {
    const path = req.path
    const { face, rest } = faceFor(ordered, fallback, path)
    const context: RequestContext = {
      startedAt: performance.now(),
      correlator: readCorrelator(req.headers['x-correlator']),
      face,
      operation: undefined,
      pathParams: {},
      query: req.query as Record<string, unknown>,
      principal: undefined,
      hasBody: false,
      body: undefined,
      bodyBytes: undefined,
      requestViolations: [],
      scenario: undefined,
      fault: undefined,
      reply: undefined,
    }
    res.locals.callsim = context
    const match = rest === undefined ? undefined : face.spec.index.match(req.method, rest)
    if (match?.kind !== 'matched') {
      // `<base>/openapi.yaml` and `.json`, unless the spec itself declares such a path. The
      // control plane's, like everything under it, only once its gate has let the request by.
      if (rest !== undefined && !face.controlPlane && serveSpecDocument(req, res, face, rest))
        return
      const error =
        match?.kind === 'method-not-allowed'
          ? ({
              kind: 'method-not-allowed',
              method: req.method,
              path,
              allowed: match.allowed,
            } as const)
          : ({ kind: 'route-not-found', method: req.method, path } as const)
      // The control plane's gate answers its misses, after its own checks.
      if (face.controlPlane) {
        context.answerMiss = () => {
          if (rest === undefined || !serveSpecDocument(req, res, face, rest))
            send(req, res, face.formatError(error))
        }
        next()
        return
      }
      send(req, res, face.formatError(error))
      return
    }
    context.operation = match.target
    context.pathParams = match.pathParams
    next()
  }
}
