import { runCli } from '../../src/cli/program.js'
import { testCompileCache } from './compile-cache.js'
import type { CallsimRun, OutputSource } from './run-callsim.js'

/**
 * `callsim <args>` run in the test's own process through the same program the bin runs
 * (src/cli/program.ts): what it writes to stdout and stderr, and its exit code, are what a user
 * sees on the terminal, without the ~0.3-1 s of CPU a node child costs to start and compile the
 * specs. test/support/run-callsim.ts spawns the built bin, for the tests of its wiring (signals,
 * the real process's streams and exit code).
 */
export interface CliSession extends OutputSource {
  /** Resolves with the exit code once the command returned (serve and proxy: once they listen). */
  readonly done: Promise<number>
  /** Stops a serve or proxy as SIGTERM does and resolves with its exit code. */
  readonly stop: () => Promise<number>
}

interface CliOptions {
  readonly env?: Record<string, string>
  /** The working directory of the command while it starts (relative paths resolve against it). */
  readonly cwd?: string
}

const sessions: CliSession[] = []

/**
 * Starts `callsim <args>` in this process. The documented dev secret applies unless a test sets
 * CALLSIM_TOKEN_SECRET: the developer's own environment stays out, as with the spawned bin.
 */
export function startCliInProcess(args: readonly string[], options: CliOptions = {}): CliSession {
  const { CALLSIM_TOKEN_SECRET: _ignored, ...inherited } = process.env
  let stdout = ''
  let stderr = ''
  let exitCode: number | null = null
  let stopServer: (() => Promise<number>) | undefined
  const home = process.cwd()
  // Vitest runs this file's tests one at a time in a forked process, so changing its working
  // directory for the command's start affects nothing else; it is restored when the start ends.
  if (options.cwd !== undefined) process.chdir(options.cwd)
  const done = runCli(args, {
    stdout: { write: (text) => (stdout += text), isTTY: false },
    stderr: { write: (text) => (stderr += text), isTTY: false },
    // serve's and proxy's log, which the bin's pino writes to the process's stdout.
    log: { write: (text) => (stdout += text), isTTY: false },
    env: { ...inherited, ...options.env },
    compileCache: testCompileCache(),
    onRunning: (stop) => (stopServer = stop),
  })
    .then((code) => (exitCode = code))
    .finally(() => process.chdir(home))
  const session: CliSession = {
    stdout: () => stdout,
    stderr: () => stderr,
    exitCode: () => (stopServer === undefined ? exitCode : null),
    done,
    stop: async () => {
      await done
      const stop = stopServer
      stopServer = undefined
      return stop === undefined ? (exitCode ?? 0) : (exitCode = await stop())
    },
  }
  sessions.push(session)
  return session
}

/** Runs `callsim <args>` in this process to completion. */
export async function runCliInProcess(
  args: readonly string[],
  options: CliOptions = {},
): Promise<CallsimRun> {
  const session = startCliInProcess(args, options)
  const code = await session.done
  return { code, stdout: session.stdout(), stderr: session.stderr() }
}

/** Stops every serve or proxy a test left running in this process; call it from afterEach. */
export async function stopCliSessions(): Promise<void> {
  for (const session of sessions.splice(0)) await session.stop().catch(() => undefined)
}
