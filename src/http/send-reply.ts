import type { Request, Response } from 'express'
import { toIsoTimestamp, type EventStream, type FaceResponse } from '../apis/index.js'
import { validateResponse, type Violation } from '../contract/index.js'
import type { Journal, RecordedExchange } from './journal.js'
import type { Logger } from './logger.js'
import { redactedUrl } from './redacted-url.js'
import type { RequestContext } from './request-context.js'

/**
 * Sends a reply. Returns true when it went out as given, false when callsim's own error took
 * its place (strict mode's contract check), undefined when nothing could be sent.
 */
export type SendReply = (req: Request, res: Response, reply: FaceResponse) => boolean | undefined

export interface SendReplyOptions {
  readonly journal: Journal
  readonly logger: Logger
  /** Simulator time, for journal timestamps. */
  readonly now: () => number
  /** Turn callsim's own contract violations into 500 responses instead of sending them. */
  readonly strict: boolean
}

/**
 * The last stage of every request: validates the response against the operation, records it
 * in the journal and writes it. Nothing leaves callsim without passing through here.
 */
export function createSendReply(options: SendReplyOptions): SendReply {
  const { journal, logger, now, strict } = options
  // Decided once: above debug, no request pays for building a detail line.
  const logDetail = logger.isLevelEnabled('debug')
  return (req, res, reply) => {
    if (res.headersSent) return undefined
    const context = res.locals.callsim as RequestContext
    if (reply.stream !== undefined) {
      openStream(req, res, context, reply.status, reply.stream, options)
      return true
    }
    const jsonp = context.jsonpCallback
    const first = present(context, reply)
    let outgoing = first
    let violations: readonly Violation[] = NO_VIOLATIONS
    const body = outgoing.body === undefined ? undefined : JSON.stringify(outgoing.body)
    const mediaType = jsonp === undefined ? 'application/json' : 'application/javascript'
    const contentType = body === undefined ? undefined : mediaType
    if (context.correlator !== undefined) res.setHeader('x-correlator', context.correlator)
    if (context.operation && !outgoing.protocol && !context.intentionalFault) {
      violations = validateResponse(context.operation, {
        status: outgoing.status,
        contentType,
        body: outgoing.body,
        headers:
          context.correlator === undefined ? NO_HEADERS : { 'x-correlator': context.correlator },
      })
      // The request's log line reports them, at error (src/app/log-requests.ts).
      if (violations.length > 0) {
        res.setHeader('x-callsim-violations', String(violations.length))
        if (strict) {
          const summary = violations.map((v) => `${v.path}: ${v.message}`).join('; ')
          outgoing = present(
            context,
            context.face.formatError({
              kind: 'internal',
              message: `callsim broke its own contract for ${context.operation.operationId} (${outgoing.status}): ${summary}`,
            }),
          )
        }
      }
    }
    const headers = outgoing.headers
    if (headers !== undefined)
      for (const name of Object.keys(headers)) res.setHeader(name, headers[name] as string)
    const json =
      outgoing === first
        ? body
        : outgoing.body === undefined
          ? undefined
          : JSON.stringify(outgoing.body)
    // Express's res.status() only re-checks what the faces' types already guarantee.
    res.statusCode = outgoing.status
    if (json === undefined) {
      res.end()
    } else if (jsonp === undefined) {
      res.setHeader('content-type', 'application/json')
      res.end(json)
    } else {
      writeJsonp(res, jsonp, json)
    }
    if (logDetail) logExchange(logger, req, res, context, outgoing)
    const entry = toJournalEntry(req, context, outgoing.status, violations, now)
    entry.callId = reply.callId
    entry.responseBody = json
    journal.record(entry, context.face.controlPlane === true)
    return outgoing === first
  }
}

/** A reply without violations shares this one empty list: the journal keeps nothing for it. */
const NO_VIOLATIONS: readonly Violation[] = Object.freeze([])
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({})

/**
 * Under JSONP the face decides what the page's function receives (a failure, too, must arrive
 * as a script the browser runs); that is what is validated and sent.
 */
function present(context: RequestContext, candidate: FaceResponse): FaceResponse {
  return context.jsonpCallback === undefined
    ? candidate
    : (context.face.toJsonpReply?.(candidate) ?? candidate)
}

/**
 * `--log-level debug`: what went in and out, before the request's own line. The bearer token
 * is cut to its first characters: enough to tell tokens apart, too little to reuse.
 */
function logExchange(
  logger: Logger,
  req: Request,
  res: Response,
  context: RequestContext,
  reply: FaceResponse,
): void {
  const { authorization, ...headers } = req.headers
  logger.debug(
    {
      method: req.method,
      path: redactedUrl(req),
      request: {
        headers:
          authorization === undefined
            ? headers
            : { ...headers, authorization: `${authorization.slice(0, 16)}…` },
        body: context.body,
      },
      response: { status: reply.status, headers: res.getHeaders(), body: reply.body },
    },
    'exchange',
  )
}

/**
 * A JSONP body: `name(<JSON>);`. The name has passed isJsonpCallbackName. U+2028 and U+2029
 * are escaped because engines before ES2019 end a string literal at them. The reply is never
 * cached (it answers one caller, maybe with an access_token in the URL: RFC 6750 §2.3), and
 * nosniff keeps browsers from reading it as anything but script.
 */
function writeJsonp(res: Response, callback: string, json: string): void {
  res.setHeader('content-type', 'application/javascript; charset=utf-8')
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('cache-control', 'no-store')
  res.end(`${callback}(${json.replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')});`)
}

/**
 * Sends the head of a Server-Sent Events response (checked against the operation like any
 * other: status and content type) and hands the socket to the stream until the client leaves.
 */
function openStream(
  req: Request,
  res: Response,
  context: RequestContext,
  status: number,
  stream: EventStream,
  options: SendReplyOptions,
): void {
  const contentType = 'text/event-stream'
  const violations = context.operation
    ? validateResponse(context.operation, {
        status,
        contentType,
        body: '',
        headers: context.correlator === undefined ? {} : { 'x-correlator': context.correlator },
      })
    : []
  if (context.correlator !== undefined) res.setHeader('x-correlator', context.correlator)
  res.statusCode = status
  res.setHeader('content-type', contentType)
  res.setHeader('cache-control', 'no-store')
  if (req.method === 'HEAD') {
    // A HEAD has no body to stream into: it gets the stream's head and its connection back.
    res.end()
  } else {
    res.flushHeaders()
    // Frames are small and should leave at once, not wait for Nagle's algorithm.
    res.socket?.setNoDelay(true)
    const close = stream.open((frame) => res.write(frame))
    res.on('close', close)
  }
  options.journal.record(
    toJournalEntry(req, context, status, violations, options.now),
    context.face.controlPlane === true,
  )
}

/** The journal's view of a finished exchange; status 0 when the connection was dropped. */
export function toJournalEntry(
  req: Request,
  context: RequestContext,
  status: number,
  violations: readonly Violation[],
  now: () => number,
): Mutable<RecordedExchange> {
  return {
    at: toIsoTimestamp(now()),
    method: req.method,
    path: redactedUrl(req),
    face: context.face.id,
    operationId: context.operation?.operationId,
    status,
    durationMs: Math.round((performance.now() - context.startedAt) * 1000) / 1000,
    correlator: context.correlator,
    requestViolations: context.requestViolations,
    responseViolations: violations,
    scenarioId: context.scenario?.id,
    fault: context.fault,
    callId: undefined,
    requestBody: context.bodyBytes,
    responseBody: undefined,
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }
