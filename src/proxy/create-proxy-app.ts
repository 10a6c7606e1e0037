import type { IncomingMessage, ServerResponse } from 'node:http'
import express, { type Express, type Request, type RequestHandler, type Response } from 'express'
import type { Face, FaceResponse } from '../apis/index.js'
import type { CompiledOperation } from '../contract/index.js'
import {
  drainThenAnswer,
  faceFor,
  orderFaces,
  readCorrelator,
  redactedUrl,
  type DrainLimits,
  type Journal,
  type JournalEntry,
  type Logger,
} from '../http/index.js'
import type { Observation } from '../scenario/index.js'
import {
  checkRequest,
  checkResponse,
  violationsHeader,
  type AttributedViolation,
} from './check-exchange.js'
import {
  endToEndHeaders,
  flattenHeaders,
  forwardToUpstream,
  type UpstreamOutcome,
} from './forward-to-upstream.js'
import { jsonOf, parseBody, readRequestBody, type ParsedBody } from './read-body.js'
import type { CallbackRelay } from './relay-callbacks.js'

/** callsim's own control API, of which the proxy serves the part about what it saw. */
export interface ProxyControlPlane {
  /** The control face (spec/callsim-admin.yaml at /_callsim). */
  readonly face: Face
  /** Its operations the proxy serves: the journal, the violations and the reset. */
  readonly operations: ReadonlySet<string>
  /** Answers those exactly as serve does (guard, admin token, validation). */
  readonly handler: RequestHandler
}

/** What the forwarding and the relay share: where verdicts go, the limits, the listeners. */
export interface ProxyShared {
  readonly journal: Journal
  readonly logger: Logger
  /** Logs a finished exchange with its violations (one line, naming the side at fault). */
  readonly log: ExchangeLog
  /**
   * A provider answer that breaks its spec becomes a 502 listing the violations; an event
   * that breaks its callback schema is refused with 400.
   */
  readonly strict: boolean
  readonly bodyLimitBytes: number
  readonly drainLimits: DrainLimits
  /** Hear every forwarded exchange and relayed callback (the recorder). */
  readonly observers: Observers
}

export interface ProxyAppOptions extends ProxyShared {
  /** The provider's base URL; a face's path is appended to its path. */
  readonly upstream: URL
  /** The API faces whose requests are forwarded and judged against their specs. */
  readonly faces: readonly Face[]
  /** Formats errors for paths under no face. */
  readonly fallbackFace: Face
  readonly controlPlane: ProxyControlPlane
  /**
   * face id → the path the provider serves that face at, when it is not the face's own base
   * path (`--base-path camara-call-handling=/api/webrtc/v1`).
   */
  readonly upstreamBasePaths: Readonly<Record<string, string>>
  /** How long the provider has for one answer before the client gets a 504. */
  readonly upstreamTimeoutMs: number
  /** With `--relay-callbacks`: rewrites sinks and relays the provider's callbacks. */
  readonly relay: CallbackRelay | undefined
}

/**
 * The listeners of what the proxy sees. `active` is checked first, so that nothing is built
 * for them per exchange while nobody listens.
 */
export interface Observers {
  readonly active: boolean
  emit(observation: Observation): void
}

/** 30 s: a provider answers an API request in well under a second; a hung one must not hang the app. */
export const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000

export type ExchangeLog = (
  entry: Omit<JournalEntry, 'seq'>,
  violations: readonly AttributedViolation[],
) => void

/** What the proxy learnt about one request on its way through. */
interface Exchange {
  readonly startedAt: number
  readonly at: number
  readonly face: Face
  readonly operation: CompiledOperation | undefined
  readonly pathParams: Record<string, unknown>
  /** Methods the path takes, when it matched a path but not the method. */
  readonly allowed: readonly string[] | undefined
  readonly correlator: string | undefined
}

/**
 * The proxy's Express app: each request on a face is read, judged against the face's spec,
 * forwarded to the provider, and the provider's answer judged and passed back unchanged. The
 * control API's journal and violations list both sides' violations; the relay path takes the
 * provider's callbacks.
 */
export function createProxyApp(options: ProxyAppOptions): Express {
  const { journal, logger, relay } = options
  const faces = orderFaces([...options.faces, options.controlPlane.face])
  const upstreamPrefix = options.upstream.pathname.replace(/\/+$/, '')

  const finish = (
    req: Request,
    exchange: Exchange,
    status: number,
    violations: readonly AttributedViolation[],
  ): void => {
    const client = violations.filter((v) => v.side === 'client')
    const provider = violations.filter((v) => v.side === 'provider')
    const entry: Omit<JournalEntry, 'seq'> = {
      at: new Date(exchange.at).toISOString(),
      method: req.method,
      path: redactedUrl(req),
      face: exchange.face.id,
      operationId: exchange.operation?.operationId,
      status,
      durationMs: Math.round((performance.now() - exchange.startedAt) * 1000) / 1000,
      correlator: exchange.correlator,
      requestViolations: client,
      responseViolations: provider,
      scenarioId: undefined,
      fault: undefined,
    }
    // The journal lists response violations among the violations by itself; the client's are
    // violations too, through the proxy.
    for (const violation of client) journal.recordViolation(violation, entry.at)
    journal.record(entry)
    options.log(entry, violations)
  }

  /** An answer the proxy makes itself (a refused body, a provider that is down), in the face's shape. */
  const answerLocally = (
    req: Request,
    res: Response,
    exchange: Exchange,
    reply: FaceResponse,
    violations: readonly AttributedViolation[] = [],
  ): void => {
    if (!res.headersSent) {
      if (exchange.correlator !== undefined) res.setHeader('x-correlator', exchange.correlator)
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
      if (violations.length > 0) res.setHeader('x-callsim-violations', violationsHeader(violations))
      res.statusCode = reply.status
      if (reply.body === undefined) res.end()
      else {
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(reply.body))
      }
    }
    finish(req, exchange, reply.status, violations)
  }

  const forward = async (req: Request, res: Response, exchange: Exchange, rest: string) => {
    const { face, operation } = exchange
    const read = await readRequestBody(req, options.bodyLimitBytes)
    if (read.kind === 'aborted') return
    if (read.kind === 'too-large') {
      drainThenAnswer(req, options.drainLimits, () => {
        res.setHeader('connection', 'close')
        answerLocally(
          req,
          res,
          exchange,
          face.formatError({ kind: 'payload-too-large', limitBytes: options.bodyLimitBytes }),
        )
      })
      return
    }
    const contentType = req.headers['content-type']
    const requestBody = parseBody(read.body, contentType, req.headers['content-encoding'])
    const clientViolations = checkRequest({
      method: req.method,
      path: req.path,
      operation,
      routeMiss: exchange.allowed === undefined ? undefined : { allowed: exchange.allowed },
      pathParams: exchange.pathParams,
      query: req.query as Record<string, unknown>,
      headers: req.headers as Record<string, unknown>,
      contentType,
      body: requestBody,
    })
    const rewritten =
      relay && operation && requestBody.kind === 'json'
        ? relay.rewriteRequest(operation.operationId, requestBody.value)
        : undefined
    const query = req.originalUrl.indexOf('?')
    const base = options.upstreamBasePaths[face.id] ?? face.basePath
    const outcome = await forwardToUpstream({
      upstream: options.upstream,
      path: `${upstreamPrefix}${base}${rest === '/' && base !== '' ? '' : rest}${query === -1 ? '' : req.originalUrl.slice(query)}`,
      method: req.method,
      headers: endToEndHeaders(req.rawHeaders),
      body: rewritten === undefined ? read.body : Buffer.from(JSON.stringify(rewritten)),
      timeoutMs: options.upstreamTimeoutMs,
      maxBufferedBytes: options.bodyLimitBytes,
    })
    if (outcome.kind === 'failed') {
      answerLocally(
        req,
        res,
        exchange,
        face.formatError({
          kind: 'upstream-failed',
          status: outcome.status,
          reason: `callsim proxy: ${outcome.reason}.`,
        }),
        clientViolations,
      )
      return
    }
    passBack(req, res, exchange, outcome, requestBody, clientViolations)
  }

  const passBack = (
    req: Request,
    res: Response,
    exchange: Exchange,
    outcome: Exclude<UpstreamOutcome, { kind: 'failed' }>,
    requestBody: ParsedBody,
    clientViolations: readonly AttributedViolation[],
  ): void => {
    const { response } = outcome
    const status = response.statusCode ?? 502
    const headers = endToEndHeaders(response.rawHeaders)
    if (outcome.kind === 'streaming') {
      // Too large to hold: passed on as it comes, judged on its status alone.
      logger.warn(
        { method: req.method, path: redactedUrl(req), bytes: options.bodyLimitBytes },
        `the provider's answer to ${req.method} ${redactedUrl(req)} is larger than ${options.bodyLimitBytes} bytes; it is passed on unvalidated`,
      )
      const contentLength = response.headers['content-length']
      if (contentLength !== undefined) headers.push('content-length', contentLength)
      res.writeHead(status, response.statusMessage, headers)
      res.write(outcome.head)
      outcome.rest.pipe(res)
      outcome.rest.resume()
      finish(req, exchange, status, clientViolations)
      return
    }
    const responseBody = parseBody(
      outcome.body,
      response.headers['content-type'],
      response.headers['content-encoding'],
    )
    const providerViolations = exchange.operation
      ? checkResponse({
          operation: exchange.operation,
          status,
          headers: response.headers,
          body: responseBody,
          isOwnRewrite: relay?.isOwnRewrite,
        })
      : []
    const violations = [...clientViolations, ...providerViolations]
    // The app sees the sink it sent, not the relay's stand-in (only in bodies sent as they are).
    const restored =
      relay && response.headers['content-encoding'] === undefined
        ? relay.restoreSinks(outcome.body)
        : undefined
    const sent = restored ?? outcome.body
    if (options.observers.active)
      options.observers.emit({
        kind: 'exchange',
        at: exchange.at,
        elapsedMs: Math.round((performance.now() - exchange.startedAt) * 1000) / 1000,
        face: exchange.face.id,
        operationId: exchange.operation?.operationId,
        method: req.method,
        path: req.originalUrl,
        requestHeaders: flattenHeaders(req.headers),
        requestBody: jsonOf(requestBody),
        status,
        responseHeaders: flattenHeaders(response.headers),
        // What the app received: with its own sink, where the relay's stood in the provider's answer.
        responseBody: jsonOf(
          restored === undefined
            ? responseBody
            : parseBody(restored, response.headers['content-type'], undefined),
        ),
      })
    if (options.strict && providerViolations.length > 0) {
      const operationId = exchange.operation?.operationId ?? ''
      answerLocally(
        req,
        res,
        exchange,
        exchange.face.formatError({
          kind: 'upstream-failed',
          status: 502,
          reason: `callsim proxy (--strict): the provider answered ${operationId} with ${status}, which breaks the spec: ${providerViolations.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
          violations: providerViolations,
        }),
        violations,
      )
      return
    }
    if (violations.length > 0) headers.push('x-callsim-violations', violationsHeader(violations))
    // The bytes as the provider sent them; only the framing is the proxy's own.
    if (req.method !== 'HEAD' && status !== 204 && status !== 304)
      headers.push('content-length', String(sent.length))
    else if (response.headers['content-length'] !== undefined)
      headers.push('content-length', response.headers['content-length'])
    res.writeHead(status, response.statusMessage, headers)
    res.end(sent)
    finish(req, exchange, status, violations)
  }

  const handle: RequestHandler = (req, res, next) => {
    const path = req.path
    if (relay && path.startsWith(relay.pathPrefix)) {
      relay.handle(req, res)
      return
    }
    const { face, rest } = faceFor(faces, options.fallbackFace, path)
    const exchange: Exchange = {
      startedAt: performance.now(),
      at: Date.now(),
      face,
      operation: undefined,
      pathParams: {},
      allowed: undefined,
      correlator: readCorrelator(req.headers['x-correlator']),
    }
    const { controlPlane } = options
    if (face === controlPlane.face && rest !== undefined) {
      const match = face.spec.index.match(req.method, rest)
      if (match.kind === 'matched' && controlPlane.operations.has(match.target.operationId)) {
        controlPlane.handler(req, res, next)
        return
      }
    }
    // A path under no face, or a control API operation the proxy does not serve.
    if (rest === undefined || face === controlPlane.face) {
      answerLocally(
        req,
        res,
        exchange,
        face.formatError({ kind: 'route-not-found', method: req.method, path }),
      )
      return
    }
    const match = face.spec.index.match(req.method, rest)
    const routed =
      match.kind === 'matched'
        ? { ...exchange, operation: match.target, pathParams: match.pathParams }
        : match.kind === 'method-not-allowed'
          ? { ...exchange, allowed: match.allowed }
          : exchange
    forward(req, res, routed, rest).catch((error: unknown) => next(error))
  }

  const app = express()
  app.disable('x-powered-by')
  app.disable('etag')
  app.set('query parser', 'simple')
  app.use(handle)
  app.use(lastResort(logger, options.fallbackFace))
  return app
}

/** A bug in the proxy: logged with its stack; the client gets the face's 500, never a stack trace. */
function lastResort(logger: Logger, fallback: Face) {
  return (
    error: unknown,
    req: IncomingMessage,
    res: ServerResponse,
    _next: (error?: unknown) => void,
  ): void => {
    logger.error(
      { err: error, method: req.method },
      'callsim proxy failed while handling a request',
    )
    if (res.headersSent) {
      res.destroy()
      return
    }
    const reply = fallback.formatError({
      kind: 'internal',
      message:
        'callsim proxy failed unexpectedly while forwarding this request; the details are in its log.',
    })
    res.statusCode = reply.status
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(reply.body))
  }
}
