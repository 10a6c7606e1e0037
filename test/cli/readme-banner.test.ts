import { readFileSync } from 'node:fs'
import { afterEach, expect, test } from 'vitest'
import { waitForOutput } from '../support/run-callsim.js'
import { startCliInProcess, stopCliSessions } from '../support/run-cli-in-process.js'

// The README shows what `npm start` prints; this keeps that sample true. Only the port (the
// README's is the default 9091) and the token differ from run to run.

afterEach(stopCliSessions)

/** The README's sample: the text block that starts with "callsim listening on". */
function readmeBanner(): string {
  const readme = readFileSync('README.md', 'utf8')
  const block = /```text\n(callsim listening on [^]*?)```/.exec(readme)?.[1]
  if (block === undefined) throw new Error('README.md has no start-up banner sample')
  return block.trimEnd()
}

test("the README's start-up banner is what `callsim serve --seed 1234` prints", async () => {
  const run = startCliInProcess(['serve', '--port', '0', '--seed', '1234', '--log-level', 'silent'])
  await waitForOutput(run, /or start with --registration optional.*\n/)
  const printed = run
    .stdout()
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:9091')
    .replace(/export TOKEN=\S+/, 'export TOKEN=eyJhbGciOi...')
    .trimEnd()
  expect(printed).toBe(readmeBanner())
})
