#!/usr/bin/env node
import { Command, CommanderError } from 'commander'
import { StartupError } from '../app/index.js'
import { registerRun } from './run.js'
import { registerScenarios } from './scenarios.js'
import { registerServe } from './serve.js'
import { registerToken } from './token.js'
import { registerValidate } from './validate.js'

const program = new Command()
  .name('callsim')
  .description('A stateful simulator and contract tester for telecom call-session APIs')
  .showHelpAfterError()
  .exitOverride()

registerServe(program)
registerToken(program)
registerScenarios(program)
registerRun(program)
registerValidate(program)

// No top-level await: the bundle is CommonJS (see scripts/bundle.js), which has none.
program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof StartupError) {
    process.stderr.write(
      `callsim could not start:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`,
    )
    process.exit(1)
  }
  if (error instanceof CommanderError) process.exit(error.exitCode)
  throw error
})
