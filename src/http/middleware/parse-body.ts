import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { MAX_JSON_DEPTH, exceedsJsonDepth, mediaTypeOf } from '../../contract/index.js'
import { continueSafely } from '../continue-safely.js'
import { drainThenAnswer, type DrainLimits } from '../drain-then-answer.js'
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
 * malformed, oversized or too deeply nested body is answered in the face's own error shape.
 */
export function parseBody(
  limitBytes: number,
  drainLimits: DrainLimits,
  send: SendReply,
): RequestHandler {
  // The stage's steps are functions of their own rather than closures made per request: a
  // request that sends a body allocates nothing here but what the body itself needs.
  const tooLarge = (req: Request, res: Response, context: RequestContext): void =>
    drainThenAnswer(req, drainLimits, () => {
      // Tell the client not to reuse the socket: callsim closes it after this answer.
      res.setHeader('connection', 'close')
      send(req, res, context.face.formatError({ kind: 'payload-too-large', limitBytes }))
    })
  const refuse = (req: Request, res: Response, context: RequestContext, message: string): void => {
    send(req, res, context.face.formatError({ kind: 'malformed-body', message }))
  }
  const parse = (
    req: Request,
    res: Response,
    next: NextFunction,
    context: RequestContext,
    raw: Buffer,
  ): void => {
    const text = raw.toString('utf8')
    context.hasBody = true
    context.bodyBytes = raw
    const mediaType = mediaTypeOf(req.headers['content-type'])
    if (!isJsonMediaType(mediaType)) {
      context.body = text
      next()
      return
    }
    if (exceedsJsonDepth(text, MAX_JSON_DEPTH)) {
      refuse(
        req,
        res,
        context,
        `The request body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels, which callsim refuses. Send a flatter JSON object.`,
      )
      return
    }
    try {
      context.body = JSON.parse(text) as unknown
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      refuse(
        req,
        res,
        context,
        `The request body is not valid JSON: ${reason}. Send a JSON object.`,
      )
      return
    }
    next()
  }
  const readStream = (
    req: Request,
    res: Response,
    next: NextFunction,
    context: RequestContext,
  ): void => {
    const chunks: Buffer[] = []
    let size = 0
    let stopped = false
    req.on(
      'data',
      continueSafely(next, (chunk: Buffer) => {
        if (stopped) return
        size += chunk.length
        if (size > limitBytes) {
          stopped = true
          chunks.length = 0
          tooLarge(req, res, context)
          return
        }
        chunks.push(chunk)
      }),
    )
    // The client broke off mid-body (a truncated chunked body, a reset): there is no request
    // to answer, and the socket is already gone or going.
    req.on('error', () => {
      stopped = true
    })
    req.on(
      'end',
      continueSafely(next, () => {
        if (stopped) return
        if (size === 0) {
          next()
          return
        }
        // Bodies of a few KiB arrive in one chunk: no copy then.
        const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size)
        parse(req, res, next, context, raw)
      }),
    )
  }
  /** One tick after the stage ran: the body whole if it has all arrived, else as a stream. */
  const takeBody = (
    req: Request,
    res: Response,
    next: NextFunction,
    context: RequestContext,
    declaredBytes: number,
  ): void => {
    try {
      const whole = req.readableLength === declaredBytes ? (req.read() as Buffer | null) : null
      if (whole === null) readStream(req, res, next, context)
      else parse(req, res, next, context, whole)
    } catch (error) {
      // As continueSafely does: from a tick, a throw would otherwise end the process.
      next(error)
    }
  }
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    // inject-fault runs this stage early when a scenario matches on the body; read it once.
    if (context.bodyRead) {
      next()
      return
    }
    context.bodyRead = true
    // Node's parser lets only digits through, but "00" is as empty as "0".
    const declared = req.headers['content-length']
    const declaredBytes = declared === undefined ? Number.NaN : Number(declared)
    if (!(declaredBytes > 0) && req.headers['transfer-encoding'] === undefined) {
      next()
      return
    }
    if (declaredBytes > limitBytes) {
      tooLarge(req, res, context)
      return
    }
    // A body of a few KiB mostly arrives in the packet of its headers. Node buffers it as soon
    // as this 'request' handler returns, so one tick later it can be taken whole with read():
    // no data, end and error listeners, which cost ~8 µs a request (docs/performance.md).
    process.nextTick(takeBody, req, res, next, context, declaredBytes)
  }
}
