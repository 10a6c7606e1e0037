import { Command, CommanderError } from 'commander'
import { StartupError } from '../app/index.js'
import type { CliIo, CommandIo } from './cli-io.js'
import { registerProxy } from './proxy.js'
import { registerRun } from './run.js'
import { registerScenarios } from './scenarios.js'
import { registerServe } from './serve.js'
import { registerToken } from './token.js'
import { EXIT_USAGE, helpPointer, packageVersion } from './usage.js'
import { registerValidate } from './validate.js'

/** Exit code when callsim could not start (a file's problems, a port in use). */
const EXIT_STARTUP = 1

/** The `callsim` program, every command writing through `io`. A fresh one per run: commander keeps state. */
function createProgram(io: CommandIo): Command {
  const program = new Command()
    .name('callsim')
    .description('A stateful simulator and contract tester for telecom call-session APIs')
    .version(packageVersion(), '-V, --version', 'print the version of callsim')
    .exitOverride()

  registerServe(program, io)
  registerToken(program, io)
  registerScenarios(program, io)
  registerRun(program, io)
  registerValidate(program, io)
  registerProxy(program, io)

  // A usage error prints one line on what is wrong (commander's "(Did you mean --port?)" joins
  // it) and a pointer to --help, not the whole help, which would push that line off the screen.
  for (const command of [program, ...program.commands]) {
    command.showHelpAfterError(helpPointer(command)).configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${text.trimEnd().replaceAll('\n', ' ')}\n`),
    })
  }
  return program
}

/**
 * Runs `callsim <args>` (the arguments after the program name) and resolves with its exit code.
 * serve and proxy resolve once they listen, with 0; they hand their stop to `io.onRunning`.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  let exitCode = 0
  const program = createProgram({ ...io, setExitCode: (code) => (exitCode = code) })
  try {
    await program.parseAsync(args, { from: 'user' })
    return exitCode
  } catch (error) {
    if (error instanceof StartupError) {
      io.stderr.write(
        `callsim could not start:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`,
      )
      return EXIT_STARTUP
    }
    // Commander exits 0 after --help and --version, and 1 after a usage error; callsim's
    // usage errors all exit 2 (docs/runner.md), whoever found them.
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE
    throw error
  }
}
