import { readFileSync } from 'node:fs'
import { afterEach, beforeAll, expect, test } from 'vitest'
import {
  assertBuilt,
  startCallsim,
  stopCallsimRuns,
  waitForOutput,
} from '../support/run-callsim.js'

// The README shows what `npm start` prints; this keeps that sample true. Only the port (the
// README's is the default 9091) and the token differ from run to run.

beforeAll(assertBuilt)
afterEach(stopCallsimRuns)

/** The README's sample: the text block that starts with "callsim listening on". */
function readmeBanner(): string {
  const readme = readFileSync('README.md', 'utf8')
  const block = /```text\n(callsim listening on [^]*?)```/.exec(readme)?.[1]
  if (block === undefined) throw new Error('README.md has no start-up banner sample')
  return block.trimEnd()
}

test("the README's start-up banner is what `callsim serve --seed 1234` prints", async () => {
  const run = startCallsim(['serve', '--port', '0', '--seed', '1234', '--log-level', 'silent'])
  await waitForOutput(run, /or start with --registration optional.*\n/)
  const printed = run
    .stdout()
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:9091')
    .replace(/export TOKEN=\S+/, 'export TOKEN=eyJhbGciOi...')
    .trimEnd()
  expect(printed).toBe(readmeBanner())
})
