import { createRequire } from 'node:module'
import net from 'node:net'
import { PassThrough } from 'node:stream'
import { expect } from 'vitest'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../../src/app/index.js'
import { startSimulator } from './start-simulator.js'

// Stoplight Prism (pinned 5.14.2) as a validating proxy in front of a running callsim. With
// errors on (the CLI's --errors), Prism turns any request or response that breaks the spec into
// an error response and lists the problems in an sl-violations header.
//
// The servers run inside the test's process, built by the same library calls, with the same
// settings, as `prism proxy` and `prism mock` make them (createPrismServerWithLogger in
// @stoplight/prism-cli/dist/util/createServer.js). A `prism` process per spec spent ~2.5 s of
// CPU loading Prism before it read the spec; here a fork loads Prism once, and each server
// then costs a fraction of a second.

export const PRISM_STARTUP_TIMEOUT_MS = 60_000
const REQUEST_TIMEOUT_MS = 10_000

/** A free port on 127.0.0.1, for a server that cannot report the port it picked itself. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}

interface PrismLogger {
  child(bindings: { name: string }): PrismLogger
  info(message: string): void
}

/** The parts of Prism's packages the CLI builds a server from (they ship no usable types). */
interface PrismLibrary {
  readonly getHttpOperationsFromSpec: (document: string) => Promise<unknown[]>
  readonly configureExtensionsUserProvided: (
    document: string,
    fakerOptions: Record<string, unknown>,
  ) => Promise<void>
  readonly createLogger: (
    name: string,
    options: Record<string, unknown>,
    destination: NodeJS.WritableStream,
  ) => PrismLogger
  readonly createServer: (
    operations: unknown[],
    options: {
      cors: boolean
      config: Record<string, unknown>
      components: { logger: PrismLogger }
    },
  ) => { listen(port: number, host: string): Promise<string>; close(): Promise<void> }
}

let library: PrismLibrary | undefined

/** Prism's packages as its CLI resolves them: from the CLI's own file, once per process. */
function prismLibrary(): PrismLibrary {
  if (library) return library
  const cliFile = createRequire(import.meta.url).resolve(
    '@stoplight/prism-cli/dist/util/createServer.js',
  )
  const cliRequire = createRequire(cliFile)
  // prism-http-server's micri installs source-map-support as it loads, which replaces
  // Error.prepareStackTrace for the whole process: the stacks of the fork's later test files
  // would lose vitest's mapping to the TypeScript sources. Prism does not need it, so the fork
  // keeps the one it had.
  const { prepareStackTrace } = Error
  const http = cliRequire('@stoplight/prism-http') as Pick<
    PrismLibrary,
    'getHttpOperationsFromSpec'
  >
  const extensions = cliRequire('../extensions') as Pick<
    PrismLibrary,
    'configureExtensionsUserProvided'
  >
  const core = cliRequire('@stoplight/prism-core') as Pick<PrismLibrary, 'createLogger'>
  const server = cliRequire('@stoplight/prism-http-server') as Pick<PrismLibrary, 'createServer'>
  Error.prepareStackTrace = prepareStackTrace
  library = {
    getHttpOperationsFromSpec: http.getHttpOperationsFromSpec,
    configureExtensionsUserProvided: extensions.configureExtensionsUserProvided,
    createLogger: core.createLogger,
    createServer: server.createServer,
  }
  return library
}

/** A Prism 5.14 server listening on 127.0.0.1. Stop it with stopPrismServer. */
export interface PrismServer {
  readonly url: string
  /** Prism's log (JSON lines): what it checked, for a failure's message. */
  readonly output: () => string
  readonly close: () => Promise<void>
}

/** What `prism proxy --errors <document> <upstream>` or `prism mock <document>` starts. */
export type PrismCommand =
  | { readonly command: 'proxy'; readonly document: string; readonly upstream: string }
  | { readonly command: 'mock'; readonly document: string }

/**
 * Starts Prism's server for `command` on port 0 of 127.0.0.1 and resolves once it listens:
 * the CLI's createPrismServerWithLogger, with the options the CLI passes for the command line
 * in the comment of PrismCommand (every other option at the CLI's default).
 */
export async function startPrism(command: PrismCommand): Promise<PrismServer> {
  const prism = prismLibrary()
  let output = ''
  const log = new PassThrough()
  log.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  // The CLI's logger settings (cliSpecificLoggerOptions) at its default --verboseLevel, info.
  const logger = prism.createLogger(
    'CLI',
    {
      customLevels: { start: 31 },
      level: 'info',
      formatters: { level: (level: string) => ({ level }) },
    },
    log,
  )
  const operations = await prism.getHttpOperationsFromSpec(command.document)
  await prism.configureExtensionsUserProvided(command.document, { fillProperties: undefined })
  if (operations.length === 0) throw new Error(`Prism found no operations in ${command.document}`)
  const shared = {
    validateRequest: true,
    validateResponse: true,
    checkSecurity: true,
    upstreamProxy: undefined,
  }
  const config =
    command.command === 'proxy'
      ? {
          ...shared,
          errors: true,
          mock: { dynamic: undefined, ignoreExamples: undefined, seed: undefined },
          isProxy: true,
          upstream: new URL(command.upstream),
        }
      : {
          ...shared,
          errors: false,
          mock: { dynamic: false, ignoreExamples: false, seed: null },
          isProxy: false,
        }
  const server = prism.createServer(operations, {
    cors: true,
    config,
    components: { logger: logger.child({ name: 'HTTP SERVER' }) },
  })
  const url = await server.listen(0, '127.0.0.1')
  logger.info(`Prism is listening on ${url}`)
  return { url, output: () => output, close: () => server.close() }
}

/** Stops a Prism server; its open connections close with it. */
export async function stopPrismServer(prism: PrismServer): Promise<void> {
  await prism.close()
}

export interface ProxiedCallsim {
  readonly simulator: Simulator
  readonly running: RunningSimulator
  readonly prism: PrismServer
  readonly url: string
  readonly output: () => string
}

/**
 * Starts callsim on port 0 (with `options`) and Prism in front of its face at `base`, checking
 * against `specFile`; resolves once Prism listens. Stop it with stopPrism.
 */
export async function startBehindPrism(
  specFile: string,
  options: Partial<SimulatorOptions>,
  base: string,
): Promise<ProxiedCallsim> {
  const simulator = startSimulator(options)
  const running = await simulator.listen()
  const prism = await startPrism({
    command: 'proxy',
    document: specFile,
    upstream: `${running.url}${base}`,
  })
  return { simulator, running, prism, url: prism.url, output: prism.output }
}

/** Stops Prism and the callsim behind it. */
export async function stopPrism(proxied: ProxiedCallsim): Promise<void> {
  await stopPrismServer(proxied.prism)
  await proxied.running.close()
}

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: Record<string, unknown>
}

/** One request through Prism, as a client of the proxy sends it. */
export async function viaPrism(
  target: ProxiedCallsim,
  method: string,
  resource: string,
  options: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-correlator': 'prism-check-1', ...options.headers }
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${target.url}${resource}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>),
  }
}

/** The answer came from callsim untouched: Prism found nothing wrong with either direction. */
export function expectNoViolation(answer: Answer, status: number): void {
  expect(answer.headers.get('sl-violations'), answer.headers.get('sl-violations') ?? '').toBeNull()
  expect(answer.headers.get('content-type') ?? '', answer.text).not.toMatch(/problem\+json/)
  expect(answer.status, answer.text).toBe(status)
  expect(answer.headers.get('x-correlator')).toBe('prism-check-1')
}
