import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../../src/app/index.js'
import { startSimulator } from './start-simulator.js'

// Stoplight Prism (pinned 5.14.2) as a validating proxy in front of a running callsim. With
// --errors, Prism turns any request or response that breaks the spec into an error response and
// lists the problems in an sl-violations header.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const PRISM = path.join(ROOT, 'node_modules', '.bin', 'prism')
export const PRISM_STARTUP_TIMEOUT_MS = 60_000
const REQUEST_TIMEOUT_MS = 10_000

export interface ProxiedCallsim {
  readonly simulator: Simulator
  readonly running: RunningSimulator
  readonly prism: ChildProcess
  readonly url: string
  readonly output: () => string
}

/** A free port on 127.0.0.1 for Prism, which cannot report the port it picked itself. */
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

/** A Prism 5.14 process listening on 127.0.0.1. */
export interface PrismProcess {
  readonly prism: ChildProcess
  readonly url: string
  readonly output: () => string
}

/**
 * Runs `prism <command> …<args>` on a free port of 127.0.0.1 and resolves once it listens;
 * `command` is `proxy` or `mock`. Stop it with stopPrismProcess.
 */
export async function startPrism(command: 'proxy' | 'mock', args: string[]): Promise<PrismProcess> {
  const port = await freePort()
  const prism = spawn(PRISM, [command, '-h', '127.0.0.1', '-p', String(port), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  prism.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  prism.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`Prism did not start within ${PRISM_STARTUP_TIMEOUT_MS} ms:\n${output}`)),
      PRISM_STARTUP_TIMEOUT_MS,
    )
    const poll = setInterval(() => {
      if (!output.includes('Prism is listening')) return
      clearInterval(poll)
      clearTimeout(timer)
      resolve()
    }, 50)
    prism.once('exit', (code) => {
      clearInterval(poll)
      clearTimeout(timer)
      reject(new Error(`Prism exited with ${String(code)} before listening:\n${output}`))
    })
  })
  return { prism, url: `http://127.0.0.1:${port}`, output: () => output }
}

/** Stops a Prism process: SIGTERM, then SIGKILL if it has not gone within 5 s. */
export async function stopPrismProcess({ prism }: Pick<PrismProcess, 'prism'>): Promise<void> {
  if (prism.exitCode === null && prism.signalCode === null) {
    const exited = new Promise<void>((resolve) => prism.once('exit', () => resolve()))
    prism.kill('SIGTERM')
    const forced = setTimeout(() => prism.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(forced)
  }
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
  const prism = await startPrism('proxy', ['--errors', specFile, `${running.url}${base}`])
  return { simulator, running, ...prism }
}

/** Stops Prism and the callsim behind it. */
export async function stopPrism(proxied: ProxiedCallsim): Promise<void> {
  await stopPrismProcess(proxied)
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
