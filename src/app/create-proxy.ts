import type { Express } from 'express'
import type { Face } from '../apis/index.js'
import type { CompileCache } from '../contract/index.js'
import type { Journal } from '../http/index.js'
import { DEFAULT_RETRY_POLICY } from '../notify/index.js'
import {
  DEFAULT_UPSTREAM_TIMEOUT_MS,
  createCallbackRelay,
  createProxyApp,
  type CallbackRelay,
  type Observers,
  type ProxyShared,
} from '../proxy/index.js'
import type { Observation } from '../scenario/index.js'
import { createLogger } from './create-logger.js'
import { proxyLogLine } from './log-requests.js'
import { createSimulator } from './create-simulator.js'
import { listenApp, type RunningServer } from './listen-app.js'
import { resolveOptions, type SimulatorOptions } from './options.js'
import { processCompileCache } from './precompiled-cache.js'
import { StartupError } from './read-sources.js'

/** The simulator's options that mean the same for the proxy (specs, limits, control API, log). */
type SharedOptions = Pick<
  SimulatorOptions,
  | 'host'
  | 'port'
  | 'specs'
  | 'specReading'
  | 'strict'
  | 'bodyLimitBytes'
  | 'serverLimits'
  | 'allowHttpSinks'
  | 'deliveryTimeoutMs'
  | 'logLevel'
  | 'logFormat'
  | 'logDestination'
  | 'maxFileBytes'
  | 'adminToken'
  | 'allowedHosts'
>

export interface ProxyOptions extends SharedOptions {
  /** The provider's base URL (`--upstream`). */
  readonly upstream: string
  /** face id → the path the provider serves it at, when not the face's own (`--base-path`). */
  readonly basePaths: Readonly<Record<string, string>>
  /** How long the provider has for one answer. */
  readonly upstreamTimeoutMs: number
  /** The proxy's public base URL, to relay the provider's callbacks through it (`--relay-callbacks`). */
  readonly relayCallbacks: string | undefined
  /** Hears every forwarded exchange and relayed callback, e.g. the recorder of `--record`. */
  readonly onObservation: ((observation: Observation) => void) | undefined
}

export interface CallsimProxy {
  readonly options: ProxyOptions
  readonly app: Express
  readonly journal: Journal
  /** The API faces the proxy judges traffic against (the served specs). */
  readonly faces: readonly Face[]
  /** Adds a listener of what the proxy sees; returns the function that removes it. */
  observe(listener: (observation: Observation) => void): () => void
  /** Resolves once every relayed callback has been delivered or given up. */
  settled(): Promise<void>
  listen(): Promise<RunningProxy>
}

export type RunningProxy = RunningServer

/** Beside serve's 9091, so that a simulator and a proxy can run side by side with no options. */
export const DEFAULT_PROXY_PORT = 9092

/** The control API operations the proxy answers: what it saw, and forgetting it. */
const CONTROL_OPERATIONS = new Set(['listViolations', 'listJournal', 'resetSimulator'])

function parseBaseUrl(value: string, option: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new StartupError([
      `${option} ${JSON.stringify(value)} is not a URL; give a base URL such as https://api.example.com.`,
    ])
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new StartupError([
      `${option} ${value} is not an http or https URL; give a base URL such as https://api.example.com.`,
    ])
  return url
}

/**
 * `callsim proxy`: forwards each face's requests to a real provider and judges both sides
 * against the same specs `serve` would serve. The specs, faces, limits and control API come from
 * the simulator's own composition (a simulator with no scenarios whose faces never answer a
 * request), so `proxy --spec` accepts exactly what `serve --spec` does.
 */
export function createProxy(
  overrides: Partial<ProxyOptions> & Pick<ProxyOptions, 'upstream'>,
  compileCache: CompileCache = processCompileCache(),
): CallsimProxy {
  const simulatorOptions = resolveOptions({
    ...overrides,
    port: overrides.port ?? DEFAULT_PROXY_PORT,
  })
  const options: ProxyOptions = {
    ...simulatorOptions,
    upstream: overrides.upstream,
    basePaths: overrides.basePaths ?? {},
    upstreamTimeoutMs: overrides.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS,
    relayCallbacks: overrides.relayCallbacks,
    onObservation: overrides.onObservation,
  }
  const upstream = parseBaseUrl(options.upstream, '--upstream')
  const publicUrl =
    options.relayCallbacks === undefined
      ? undefined
      : parseBaseUrl(options.relayCallbacks, '--relay-callbacks')
  const judge = createSimulator(
    {
      ...simulatorOptions,
      builtInScenarios: false,
      scenarioPaths: [],
      registration: 'optional',
      clock: 'system',
      seed: 0,
      logLevel: 'silent',
    },
    compileCache,
  )
  const logger = createLogger(options.logLevel, options.logFormat, options.logDestination)
  const listeners = new Set<(observation: Observation) => void>()
  if (options.onObservation) listeners.add(options.onObservation)
  const observers: Observers = {
    get active() {
      return listeners.size > 0
    },
    emit: (observation) => {
      for (const listener of listeners) listener(observation)
    },
  }
  const faces = judge.faces.filter((face) => !face.controlPlane)
  const controlFace = judge.faces.find((face) => face.controlPlane)
  if (!controlFace)
    throw new StartupError(['callsim has no control face; this is a bug in callsim.'])
  const fallbackFace = faces.find((face) => face.id === 'camara-call-handling') ?? controlFace
  const shared: ProxyShared = {
    journal: judge.journal,
    logger,
    log: proxyLogLine(logger),
    strict: options.strict,
    bodyLimitBytes: options.bodyLimitBytes,
    drainLimits: options.serverLimits.drain,
    observers,
  }
  const relay: CallbackRelay | undefined =
    publicUrl === undefined
      ? undefined
      : createCallbackRelay({
          ...shared,
          publicUrl: publicUrl.href,
          faces,
          compileCache,
          deliveryTimeoutMs: options.deliveryTimeoutMs,
          retry: DEFAULT_RETRY_POLICY,
        })
  const app = createProxyApp({
    upstream,
    faces,
    fallbackFace,
    controlPlane: { face: controlFace, operations: CONTROL_OPERATIONS, handler: judge.app },
    ...shared,
    upstreamBasePaths: options.basePaths,
    upstreamTimeoutMs: options.upstreamTimeoutMs,
    relay,
  })
  const dispose = (): void => {
    relay?.dispose()
    judge.dispose()
  }
  return {
    options,
    app,
    journal: judge.journal,
    faces,
    observe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    settled: () => relay?.settled() ?? Promise.resolve(),
    listen: () => listenApp(app, options, logger, dispose),
  }
}
