import { randomUUID } from 'node:crypto'
import type { Request, Response } from 'express'
import type { Face, FaceResponse } from '../apis/index.js'
import {
  compileCallbacks,
  isObject,
  parsePointer,
  validateCallbackRequest,
  type CompileCache,
  type CompiledCallback,
  type Violation,
} from '../contract/index.js'
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
import type { ProxyShared } from './create-proxy-app.js'
import { parseBody, readRequestBody } from './read-body.js'

/** Where the provider posts the callbacks the proxy relays: `<public URL>/_callsim-relay/<id>`. */
export const RELAY_PATH_PREFIX = '/_callsim-relay/'

/** Sinks remembered at most; the oldest is forgotten first. A relay must not grow with traffic. */
const MAX_RELAYED_SINKS = 10_000
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

/** Where in a request body an operation names a callback URL, and the callback sent there. */
interface SinkField {
  readonly pointer: readonly string[]
  readonly callback: CompiledCallback
  readonly face: Face
}

interface RelayedSink {
  readonly sink: string
  readonly field: SinkField
  /** Deliveries to this sink run one after another, so events keep their order. */
  tail: Promise<void>
  queued: number
}

/** `{$request.body#/sink}` → ['sink']; other runtime expressions are not relayed. */
function bodyPointer(expression: string): string[] | undefined {
  const match = /^\{\$request\.body#(\/[^}]*)\}$/.exec(expression)
  return match ? parsePointer(match[1] as string) : undefined
}

function readAt(value: unknown, pointer: readonly (string | number)[]): unknown {
  let current = value
  for (const segment of pointer) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment]
    else if (isObject(current)) current = current[String(segment)]
    else return undefined
  }
  return current
}

/** `body.items[0].sink` → ['items', 0, 'sink'] */
function violationPointer(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part): part is string => part !== undefined && part !== '')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
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
  const fields = new Map<string, SinkField[]>()
  for (const face of options.faces) {
    const compiled = compileCallbacks(face.spec.spec, options.compileCache)
    if (!compiled.ok) continue
    for (const callback of compiled.value.values()) {
      const pointer = bodyPointer(callback.expression)
      if (!pointer || pointer.length === 0) continue
      const list = fields.get(callback.parentOperationId) ?? []
      list.push({ pointer, callback, face })
      fields.set(callback.parentOperationId, list)
    }
  }
  const sinks = new Map<string, RelayedSink>()
  const relayUrls = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([0-9a-f-]{36})`, 'g')
  /** Retries waiting for their time; dispose ends the waits at once. */
  const waits = new Map<NodeJS.Timeout, () => void>()
  const inFlight = new Set<Promise<void>>()
  let disposed = false

  const remember = (sink: string, field: SinkField): string => {
    const id = randomUUID()
    sinks.set(id, { sink, field, tail: Promise.resolve(), queued: 0 })
    if (sinks.size > MAX_RELAYED_SINKS) sinks.delete(sinks.keys().next().value as string)
    return `${base}${id}`
  }

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
    const relayed = sinks.get(id)
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
    rewriteRequest(operationId, body) {
      const candidates = fields.get(operationId)
      if (!candidates || !isObject(body)) return undefined
      let rewritten: Record<string, unknown> | undefined
      for (const field of candidates) {
        const sink = readAt(body, field.pointer)
        if (typeof sink !== 'string' || sink.startsWith(base)) continue
        rewritten ??= structuredClone(body)
        const parent = readAt(rewritten, field.pointer.slice(0, -1))
        if (isObject(parent))
          parent[field.pointer[field.pointer.length - 1] as string] = remember(sink, field)
      }
      return rewritten
    },
    restoreSinks(body) {
      const text = body.toString('utf8')
      if (!text.includes(base)) return undefined
      const restored = text.replace(relayUrls, (url, id: string) => {
        const sink = sinks.get(id)?.sink
        // The sink goes back inside the JSON string the relay URL stood in.
        return sink === undefined ? url : JSON.stringify(sink).slice(1, -1)
      })
      return Buffer.from(restored)
    },
    isOwnRewrite(violation, body) {
      if (!/(^|\.)sink$/.test(violation.path)) return false
      const value = readAt(body, violationPointer(violation.path))
      return typeof value === 'string' && value.startsWith(base)
    },
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
