import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

/** The built bin; `npm test` builds before vitest runs. */
const CALLSIM_BIN = path.resolve('dist/bin/callsim.js')
const WAIT_MS = 20_000

export interface CallsimRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** A `callsim` that prints as it runs: its output so far, and its exit code once it ended. */
export interface OutputSource {
  readonly stdout: () => string
  readonly stderr: () => string
  /** The exit code once the command has ended for good, null while it runs. */
  readonly exitCode: () => number | string | null
}

/** A `callsim` child still running, or not: its output so far and how it ended. */
export interface CallsimProcess extends OutputSource {
  readonly child: ChildProcess
  /** Resolves with the exit code (or the signal's name) once the process and its pipes closed. */
  readonly exited: Promise<number | string>
}

const processes: CallsimProcess[] = []

export function assertBuilt(): void {
  if (!existsSync(CALLSIM_BIN))
    throw new Error('dist/bin/callsim.js is missing: run `npm run build` first (npm test does).')
}

/**
 * Starts `callsim <args>` and returns at once. The documented dev secret applies unless a test
 * sets CALLSIM_TOKEN_SECRET: the developer's own environment stays out. Killed after
 * `timeoutMs` (45 s unless given) at the latest.
 */
export function startCallsim(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): CallsimProcess {
  const { CALLSIM_TOKEN_SECRET: _ignored, ...inherited } = process.env
  const child = spawn(process.execPath, [CALLSIM_BIN, ...args], {
    env: { ...inherited, ...options.env },
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? 45_000,
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown'))
  })
  const run = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exitCode: () => child.exitCode ?? child.signalCode,
    exited,
  }
  processes.push(run)
  return run
}

/** Runs `callsim <args>` to completion. */
export async function runCallsim(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CallsimRun> {
  const run = startCallsim(args, options)
  const ended = await run.exited
  return {
    code: typeof ended === 'number' ? ended : null,
    stdout: run.stdout(),
    stderr: run.stderr(),
  }
}

/** Waits, bounded, until stdout shows `pattern`. */
export async function waitForOutput(run: OutputSource, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const match = pattern.exec(run.stdout())
    if (match) return match
    const exitCode = run.exitCode()
    if (exitCode !== null)
      throw new Error(`callsim exited with ${exitCode}:\n${run.stdout()}\n${run.stderr()}`)
    if (Date.now() > deadline)
      throw new Error(
        `callsim printed no ${pattern} within ${WAIT_MS} ms:\n${run.stdout()}\n${run.stderr()}`,
      )
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Kills every child a test left running and waits until it is gone; call it from afterEach. */
export async function stopCallsimRuns(): Promise<void> {
  for (const run of processes.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGKILL')
      await run.exited
    }
  }
}
