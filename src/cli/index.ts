#!/usr/bin/env node
import { Command, CommanderError } from 'commander'
import { StartupError } from '../app/index.js'
import { registerProxy } from './proxy.js'
import { registerRun } from './run.js'
import { registerScenarios } from './scenarios.js'
import { registerServe } from './serve.js'
import { registerToken } from './token.js'
import { EXIT_USAGE, helpPointer, packageVersion } from './usage.js'
import { registerValidate } from './validate.js'

const program = new Command()
  .name('callsim')
  .description('A stateful simulator and contract tester for telecom call-session APIs')
  .version(packageVersion(), '-V, --version', 'print the version of callsim')
  .exitOverride()

registerServe(program)
registerToken(program)
registerScenarios(program)
registerRun(program)
registerValidate(program)
registerProxy(program)

// A usage error prints one line on what is wrong (commander's "(Did you mean --port?)" joins
// it) and a pointer to --help, not the whole help, which would push that line off the screen.
for (const command of [program, ...program.commands]) {
  command.showHelpAfterError(helpPointer(command)).configureOutput({
    outputError: (text, write) => write(`${text.trimEnd().replaceAll('\n', ' ')}\n`),
  })
}

// No top-level await: the bundle is CommonJS (see scripts/bundle.js), which has none.
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(
      `callsim could not start:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    )
    process.exit(1)
  }
  // Commander exits 0 after --help and --version, and 1 after a usage error; callsim's
  // usage errors all exit 2 (docs/runner.md), whoever found them.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE)
  throw error
})
