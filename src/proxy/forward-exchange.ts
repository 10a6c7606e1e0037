// The way through the proxy for a request on a face: read and judge the client's request,
// forward it to the provider, judge the provider's answer and pass it back unchanged (or, with
// --strict, a 502 in its place).
import type { Request, Response } from 'express'
import { drainThenAnswer, redactedUrl } from '../http/index.js'
import {
  checkRequest,
  checkResponse,
  violationsHeader,
  type AttributedViolation,
} from './check-exchange.js'
import { answerLocally, recordExchange, type Exchange } from './exchange.js'
import {
  endToEndHeaders,
  flattenHeaders,
  forwardToUpstream,
  type UpstreamOutcome,
} from './forward-to-upstream.js'
import type { ProxyAppOptions } from './proxy-options.js'
import { jsonOf, parseBody, readRequestBody, type ParsedBody } from './read-body.js'

/**
 * Forwards one routed request (`rest` is its path under the face's base path) and answers the
 * client with what the provider said.
 */
export async function forwardExchange(
  options: ProxyAppOptions,
  req: Request,
  res: Response,
  exchange: Exchange,
  rest: string,
): Promise<void> {
  const { face, operation } = exchange
  const { relay } = options
  const read = await readRequestBody(req, options.bodyLimitBytes)
  if (read.kind === 'aborted') return
  if (read.kind === 'too-large') {
    drainThenAnswer(req, options.drainLimits, () => {
      res.setHeader('connection', 'close')
      answerLocally(
        options,
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
  const upstreamPrefix = options.upstream.pathname.replace(/\/+$/, '')
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
      options,
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
  passBackAnswer(options, req, res, exchange, outcome, requestBody, clientViolations)
}

/** Judges the provider's answer, tells the observers, and sends it on to the client. */
function passBackAnswer(
  options: ProxyAppOptions,
  req: Request,
  res: Response,
  exchange: Exchange,
  outcome: Exclude<UpstreamOutcome, { kind: 'failed' }>,
  requestBody: ParsedBody,
  clientViolations: readonly AttributedViolation[],
): void {
  const { logger, relay } = options
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
    recordExchange(options, req, exchange, status, clientViolations)
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
      options,
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
  recordExchange(options, req, exchange, status, violations)
}
