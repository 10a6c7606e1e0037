import type { RequestHandler } from 'express'
import { mediaTypeOf } from '../../contract/index.js'
import type { RequestContext } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

/** 1 MiB: an SDP is at most 64 KiB in CAMARA, so anything near this is a mistake or an attack. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024

function isJsonMediaType(mediaType: string | undefined): boolean {
  return (
    mediaType === 'application/json' ||
    (mediaType !== undefined && /^application\/[\w.-]+\+json$/.test(mediaType))
  )
}

/**
 * Reads the body with a hard size limit and parses JSON. It runs after routing, so even a
 * malformed or oversized body is answered in the face's own error shape.
 */
export function parseBody(limitBytes: number, send: SendReply): RequestHandler {
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    // inject-fault runs this stage early when a scenario matches on the body; read it once.
    if (context.bodyRead) {
      next()
      return
    }
    context.bodyRead = true
    const declared = req.headers['content-length']
    const hasBody =
      (declared !== undefined && declared !== '0') || req.headers['transfer-encoding'] !== undefined
    if (!hasBody) {
      next()
      return
    }
    const tooLarge = (): void => {
      // Tell the client not to reuse the socket: the rest of its body is never read.
      res.setHeader('connection', 'close')
      send(req, res, context.face.formatError({ kind: 'payload-too-large', limitBytes }))
    }
    // NaN when the body is chunked: no comparison below holds for it.
    const declaredBytes = declared === undefined ? Number.NaN : Number(declared)
    if (declaredBytes > limitBytes) {
      req.resume()
      tooLarge()
      return
    }
    const parse = (raw: Buffer): void => {
      const text = raw.toString('utf8')
      context.hasBody = true
      const mediaType = mediaTypeOf(req.headers['content-type'])
      if (!isJsonMediaType(mediaType)) {
        context.body = text
        next()
        return
      }
      try {
        context.body = JSON.parse(text) as unknown
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error)
        send(
          req,
          res,
          context.face.formatError({
            kind: 'malformed-body',
            message: `The request body is not valid JSON: ${reason}. Send a JSON object.`,
          }),
        )
        return
      }
      next()
    }
    const readStream = (): void => {
      const chunks: Buffer[] = []
      let size = 0
      let aborted = false
      req.on('data', (chunk: Buffer) => {
        if (aborted) return
        size += chunk.length
        if (size > limitBytes) {
          aborted = true
          chunks.length = 0
          tooLarge()
          return
        }
        chunks.push(chunk)
      })
      req.on('error', (error) => {
        aborted = true
        next(error)
      })
      req.on('end', () => {
        if (aborted) return
        if (size === 0) {
          next()
          return
        }
        // Bodies of a few KiB arrive in one chunk: no copy then.
        parse(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
      })
    }
    // A body of a few KiB mostly arrives in the packet of its headers. Node buffers it as soon
    // as this 'request' handler returns, so one tick later it can be taken whole with read():
    // no data, end and error listeners, which cost ~8 µs a request (docs/performance.md).
    process.nextTick(() => {
      if (req.readableLength === declaredBytes) {
        parse(req.read() as Buffer)
        return
      }
      readStream()
    })
  }
}
