import {
  createProxy,
  type CallsimProxy,
  type ProxyOptions,
  type RunningProxy,
  type RunningSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../src/app/index.js'
import type { Observation } from '../../src/scenario/index.js'
import { testCompileCache } from './compile-cache.js'
import { freePort } from './prism-proxy.js'
import { startSimulator } from './start-simulator.js'

/** A free port on 127.0.0.1, for a proxy that must know its own URL before it listens. */
export { freePort }

const REQUEST_TIMEOUT_MS = 10_000

/** A callsim proxy on 127.0.0.1 in front of a second callsim that plays the provider. */
export interface ProxiedProvider {
  readonly provider: Simulator
  readonly providerRunning: RunningSimulator
  readonly proxy: CallsimProxy
  readonly running: RunningProxy
  /** The proxy's URL. */
  readonly url: string
  /** Everything the proxy handed to its observation listener, in order. */
  readonly observations: Observation[]
  close(): Promise<void>
}

/**
 * Starts a provider (a strict, seeded, virtual-clock callsim with `providerOptions`) and a
 * silent proxy in front of it with `proxyOptions`.
 */
export async function startProxiedProvider(
  providerOptions: Partial<SimulatorOptions> = {},
  proxyOptions: Partial<ProxyOptions> = {},
): Promise<ProxiedProvider> {
  const provider = startSimulator({ registration: 'optional', ...providerOptions })
  const providerRunning = await provider.listen()
  const observations: Observation[] = []
  const proxy = createProxy(
    {
      upstream: providerRunning.url,
      port: 0,
      logLevel: 'silent',
      onObservation: (observation) => observations.push(observation),
      ...proxyOptions,
    },
    testCompileCache(),
  )
  const running = await proxy.listen()
  return {
    provider,
    providerRunning,
    proxy,
    running,
    url: running.url,
    observations,
    close: async () => {
      await running.close()
      await providerRunning.close()
    },
  }
}

export interface ProxiedAnswer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Record<string, unknown>
}

/** One request as an app sends it, to the proxy or straight to the provider. */
export async function send(
  baseUrl: string,
  method: string,
  resource: string,
  options: { token?: string; headers?: Record<string, string>; body?: unknown; raw?: string } = {},
): Promise<ProxiedAnswer> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined || options.raw !== undefined)
    headers['content-type'] ??= 'application/json'
  const response = await fetch(`${baseUrl}${resource}`, {
    method,
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>)
  } catch {
    // Left empty: the test asserts on the text.
  }
  return { status: response.status, headers: response.headers, text, body }
}
