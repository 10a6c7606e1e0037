// What createProxyApp and createCallbackRelay are given: the provider, the faces, the control
// plane, and what the forwarding and the relay share (the journal, the log, the limits).
import type { RequestHandler } from 'express'
import type { Face } from '../apis/index.js'
import type { DrainLimits, Journal, JournalEntry, Logger } from '../http/index.js'
import type { Observation } from '../scenario/index.js'
import type { AttributedViolation } from './check-exchange.js'
import type { CallbackRelay } from './relay-callbacks.js'

/** callsim's own control API, of which the proxy serves the part about what it saw. */
interface ProxyControlPlane {
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

type ExchangeLog = (
  entry: Omit<JournalEntry, 'seq'>,
  violations: readonly AttributedViolation[],
) => void
