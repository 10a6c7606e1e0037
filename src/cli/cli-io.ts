import type { CompileCache } from '../app/index.js'

/**
 * What a command reads from and writes to the world outside callsim. The bin (cli/index.ts)
 * wires it to the real process; a test hands in its own, so a command runs in the test's
 * process and the test sees exactly what a user sees on the terminal, and the exit code.
 */
export interface CliIo {
  /** The terminal's stdout: results, banners, the run's progress and summary. */
  readonly stdout: CliOutput
  /** The terminal's stderr: usage errors, refusals, warnings. */
  readonly stderr: CliOutput
  /**
   * Where serve and proxy write their log. The bin leaves it out: pino then writes to the
   * process's stdout itself, asynchronously. A test's io sets it, to read the log as well.
   */
  readonly log?: CliOutput
  /** The environment the command reads (CALLSIM_TOKEN_SECRET, CALLSIM_ADMIN_TOKEN, run files' ${env.X}). */
  readonly env: Readonly<Record<string, string | undefined>>
  /**
   * What every command parses specs and compiles validators through: the bin's is the process's
   * (processCompileCache, backed by the build's dist/spec-cache); a test's is its own.
   */
  readonly compileCache: CompileCache
  /**
   * serve and proxy keep running after their action returns: they hand over how to stop them,
   * before they print the line that says they listen (whoever waits for that line may stop them
   * at once). The bin calls it on SIGINT and SIGTERM; the stop resolves with the exit code.
   */
  readonly onRunning: (stop: () => Promise<number>) => void
}

export interface CliOutput {
  readonly write: (text: string) => void
  /** Whether a person reads it in a terminal (the run's progress redraws its line there). */
  readonly isTTY: boolean
}

/** A command's io plus the exit code it ends with, which it sets as a process sets process.exitCode. */
export interface CommandIo extends CliIo {
  readonly setExitCode: (code: number) => void
}
