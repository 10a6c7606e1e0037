// One request through the proxy, and how it ends: recorded in the journal and the log, whether
// the provider answered it or the proxy answered it itself.
import type { Request, Response } from 'express'
import type { Face, FaceResponse } from '../apis/index.js'
import type { CompiledOperation } from '../contract/index.js'
import { redactedUrl, type JournalEntry } from '../http/index.js'
import { violationsHeader, type AttributedViolation } from './check-exchange.js'
import type { ProxyShared } from './proxy-options.js'

/** What the proxy learnt about one request on its way through. */
export interface Exchange {
  readonly startedAt: number
  readonly at: number
  readonly face: Face
  readonly operation: CompiledOperation | undefined
  readonly pathParams: Record<string, unknown>
  /** Methods the path takes, when it matched a path but not the method. */
  readonly allowed: readonly string[] | undefined
  readonly correlator: string | undefined
}

/** Journals and logs a finished exchange with the violations of both sides. */
export function recordExchange(
  shared: ProxyShared,
  req: Request,
  exchange: Exchange,
  status: number,
  violations: readonly AttributedViolation[],
): void {
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
  for (const violation of client) shared.journal.recordViolation(violation, entry.at)
  shared.journal.record(entry)
  shared.log(entry, violations)
}

/** An answer the proxy makes itself (a refused body, a provider that is down), in the face's shape. */
export function answerLocally(
  shared: ProxyShared,
  req: Request,
  res: Response,
  exchange: Exchange,
  reply: FaceResponse,
  violations: readonly AttributedViolation[] = [],
): void {
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
  recordExchange(shared, req, exchange, reply.status, violations)
}
