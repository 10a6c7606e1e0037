import type { DrainLimits } from './drain-then-answer.js'
import { DEFAULT_DRAIN_LIMITS } from './drain-then-answer.js'

/**
 * How long callsim waits for clients and how many it serves at once (docs/http-limits.md).
 * Node's own defaults let a slow client hold a connection for five minutes per request; these
 * cut it off within seconds, far above what a real client needs.
 */
export interface ServerLimits {
  /** From the connection (or the previous request) to the end of the headers. */
  readonly headersTimeoutMs: number
  /** From the connection (or the previous request) to the end of the body. */
  readonly requestTimeoutMs: number
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number
  /** How often the two timeouts above are checked: they act within this much of their value. */
  readonly timeoutCheckIntervalMs: number
  /** Connections beyond this are closed as they arrive. */
  readonly maxConnections: number
  /** How much of a refused (413) body is read and discarded before the answer. */
  readonly drain: DrainLimits
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  timeoutCheckIntervalMs: 1_000,
  maxConnections: 1_000,
  drain: DEFAULT_DRAIN_LIMITS,
}
