import type { Request, Response } from 'express'
import type { Face, FaceResponse } from '../apis/index.js'
import { validateCallbackRequest, type CompileCache, type Violation } from '../contract/index.js'
import { drainThenAnswer, redactedUrl } from '../http/index.js'
import {
  deliverEvent,
  retryDelay,
  type CloudEvent,
  type DeliveryOutcome,
  type DeliveryRequest,
  type RetryPolicy,
} from '../notify/index.js'
import { attribute, violationsHeader, type AttributedViolation } from './check-exchange.js'
import type { ProxyShared } from './proxy-options.js'
import { parseBody, readRequestBody } from './read-body.js'
import { createRelayedSinks, type RelayedSink } from './relayed-sinks.js'

/** Where the provider posts the callbacks the proxy relays: `<public URL>/_callsim-relay/<id>`. */
const RELAY_PATH_PREFIX = '/_callsim-relay/'

/** Events waiting for one sink at most; more are refused with 503 so the provider retries later. */
const MAX_QUEUED_EVENTS = 1_000

export interface CallbackRelayOptions extends ProxyShared {
  /** The proxy's public base URL, as the provider can reach it (`--relay-callbacks`). */
  readonly publicUrl: string
  /** The faces whose operations may declare callbacks (WebRTC Events' createSubscription). */
  readonly faces: readonly Face[]
  readonly compileCache: CompileCache
  readonly deliveryTimeoutMs: number
  readonly retry: RetryPolicy
  /** Replaces the HTTP POST to the app's sink; the proxy always uses the real one. */
  readonly send?: (request: DeliveryRequest) => Promise<DeliveryOutcome>
}

export interface CallbackRelay {
  readonly pathPrefix: string
  /**
   * Puts the relay's URL in place of each sink the operation's callbacks are sent to, remembering
   * the app's own; undefined when the body names none.
   */
  rewriteRequest(operationId: string, body: unknown): unknown
  /**
   * The provider's answer with each relay URL put back to the app's own sink (a subscription
   * echoes its sink), so the app sees what it sent; undefined when the answer names none.
   */
  restoreSinks(body: Buffer): Buffer | undefined
  /** Whether a provider's violation is about a sink the proxy itself rewrote (not the provider's doing). */
  isOwnRewrite(violation: Violation, body: unknown): boolean
  /** Takes a callback the provider posts to a relayed sink. */
  handle(req: Request, res: Response): void
  /** Resolves once no delivery is in flight or waiting to retry. */
  settled(): Promise<void>
  /** Drops waiting retries; for shutdown. */
  dispose(): void
}

/** The bearer token of an Authorization header: the app's sinkCredential, passed on as it came. */
function bearerOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '')
  return match ? (match[1] as string).trim() : undefined
}

/**
 * `--relay-callbacks`: the proxy stands in for the app's sink. It rewrites the sink of each
 * request whose operation declares a callback there, checks each event the provider then posts
 * against the callback's schema, journals it, answers the provider at once and delivers the
 * event to the app's own sink, retrying as serve's notifier does.
 */
export function createCallbackRelay(options: CallbackRelayOptions): CallbackRelay {
  const { journal, logger } = options
  const send = options.send ?? deliverEvent
  const base = `${options.publicUrl.replace(/\/+$/, '')}${RELAY_PATH_PREFIX}`
  const sinks = createRelayedSinks(base, options.faces, options.compileCache)
  /** Retries waiting for their time; dispose ends the waits at once. */
  const waits = new Map<NodeJS.Timeout, () => void>()
  const inFlight = new Set<Promise<void>>()
  let disposed = false

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        waits.delete(timer)
        resolve()
      }, ms)
      waits.set(timer, resolve)
    })

  const deliver = async (relayed: RelayedSink, event: CloudEvent, accessToken?: string) => {
    for (let attempt = 1; !disposed; attempt += 1) {
      const outcome = await send({
        url: relayed.sink,
        event,
        accessToken,
        timeoutMs: options.deliveryTimeoutMs,
      })
      if (outcome.kind === 'delivered') return
      const delay = outcome.retryable ? retryDelay(attempt, options.retry) : undefined
      logger.warn(
        {
          kind: 'delivery',
          result: delay === undefined ? (outcome.retryable ? 'gave-up' : 'rejected') : 'failed',
          eventType: event.type,
          sink: relayed.sink,
          attempt,
          status: outcome.status,
          reason: outcome.error,
        },
        'relayed event delivery failed',
      )
      if (delay === undefined) return
      await wait(delay)
    }
  }

  const handle = (req: Request, res: Response): void => {
    const startedAt = performance.now()
    const at = new Date().toISOString()
    const id = req.path.slice(RELAY_PATH_PREFIX.length)
    const relayed = sinks.find(id)
    const face = relayed?.field.face ?? options.faces[0]
    const answer = (reply: FaceResponse, violations: readonly AttributedViolation[]): void => {
      if (!res.headersSent) {
        if (violations.length > 0)
          res.setHeader('x-callsim-violations', violationsHeader(violations))
        res.statusCode = reply.status
        if (reply.body === undefined) res.end()
        else {
          res.setHeader('content-type', 'application/json')
          res.end(JSON.stringify(reply.body))
        }
      }
      for (const violation of violations) journal.recordViolation(violation, at)
      const entry = {
        at,
        method: req.method,
        path: redactedUrl(req),
        face: relayed?.field.face.id,
        operationId: relayed?.field.callback.operationId,
        status: reply.status,
        durationMs: Math.round((performance.now() - startedAt) * 1000) / 1000,
        correlator: undefined,
        requestViolations: violations,
        responseViolations: [],
        scenarioId: undefined,
        fault: undefined,
      }
      journal.record(entry)
      options.log(entry, violations)
    }
    if (!face) return
    if (!relayed || req.method !== 'POST') {
      answer(face.formatError({ kind: 'route-not-found', method: req.method, path: req.path }), [])
      return
    }
    void readRequestBody(req, options.bodyLimitBytes).then((read) => {
      if (read.kind === 'aborted') return
      if (read.kind === 'too-large') {
        drainThenAnswer(req, options.drainLimits, () => {
          res.setHeader('connection', 'close')
          answer(
            face.formatError({ kind: 'payload-too-large', limitBytes: options.bodyLimitBytes }),
            [],
          )
        })
        return
      }
      const contentType = req.headers['content-type']
      const body = parseBody(read.body, contentType, req.headers['content-encoding'])
      const { callback } = relayed.field
      const violations = attribute(
        'provider',
        body.kind === 'unreadable'
          ? [
              {
                direction: 'callback',
                operationId: callback.operationId,
                location: 'body',
                path: 'body',
                keyword: 'json',
                message: body.problem,
              },
            ]
          : validateCallbackRequest(callback, {
              contentType,
              body: body.kind === 'none' ? undefined : body.value,
            }),
      )
      if (body.kind !== 'json' || (options.strict && violations.length > 0)) {
        answer(face.formatError({ kind: 'invalid-request', violations }), violations)
        return
      }
      if (relayed.queued >= MAX_QUEUED_EVENTS) {
        answer(
          face.formatError({
            kind: 'upstream-failed',
            status: 502,
            reason: `callsim proxy: ${MAX_QUEUED_EVENTS} events already wait for the app's sink ${relayed.sink}; send this one again later.`,
          }),
          violations,
        )
        return
      }
      if (options.observers.active)
        options.observers.emit({
          kind: 'callback',
          at: Date.now(),
          sink: relayed.sink,
          event: body.value,
        })
      // The provider hears at once that the event arrived, as from a sink; the app's own sink
      // gets it in order, with serve's retries.
      answer({ status: 204 }, violations)
      relayed.queued += 1
      const accessToken = bearerOf(req.headers.authorization)
      const delivery = relayed.tail.then(() =>
        deliver(relayed, body.value as CloudEvent, accessToken).finally(() => {
          relayed.queued -= 1
        }),
      )
      relayed.tail = delivery.catch(() => undefined)
      inFlight.add(delivery)
      delivery.then(
        () => inFlight.delete(delivery),
        (error: unknown) => {
          inFlight.delete(delivery)
          logger.error({ err: error }, 'callsim proxy failed while relaying an event')
        },
      )
    })
  }

  return {
    pathPrefix: RELAY_PATH_PREFIX,
    rewriteRequest: sinks.rewriteRequest,
    restoreSinks: sinks.restoreSinks,
    isOwnRewrite: sinks.isOwnRewrite,
    handle,
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight])
    },
    dispose() {
      disposed = true
      for (const [timer, resolve] of waits) {
        clearTimeout(timer)
        resolve()
      }
      waits.clear()
    },
  }
}
