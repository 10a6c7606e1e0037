#!/usr/bin/env node
import { processCompileCache } from '../app/index.js'
import type { CliIo } from './cli-io.js'
import { runCli } from './program.js'

// The bin: the CLI wired to the real process. Everything else lives in program.ts, which tests
// run in their own process with an io of their own.

/** Resolves once everything written to the stream so far has left (pipes are asynchronous on macOS). */
const flushed = (stream: NodeJS.WriteStream): Promise<void> =>
  new Promise((resolve) => stream.write('', () => resolve()))

/** Ends the process once its output is out, whatever a refused start may have left open. */
async function exitWith(code: number): Promise<never> {
  await Promise.all([flushed(process.stdout), flushed(process.stderr)])
  process.exit(code)
}

let running = false
const io: CliIo = {
  stdout: { write: (text) => process.stdout.write(text), isTTY: process.stdout.isTTY === true },
  stderr: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  env: process.env,
  compileCache: processCompileCache(),
  onRunning: (stop) => {
    running = true
    const onSignal = (): void => void stop().then(exitWith)
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  },
}

// No top-level await: the bundle is CommonJS (see scripts/bundle.js), which has none.
void runCli(process.argv.slice(2), io).then((code) => {
  // A server runs on until a signal stops it; any other command is done.
  if (running) process.exitCode = code
  else void exitWith(code)
})
