import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { assertBuilt, runCallsim, stopCallsimRuns } from '../support/run-callsim.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'

// The listings run in this process, as the bin runs them; the refusal goes through the built bin,
// which loads every built-in spec: a busy 2-core machine needs seconds.
vi.setConfig({ testTimeout: 60_000 })

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-scenarios-cli-'))

afterEach(stopCallsimRuns)
afterAll(() => rmSync(workspace, { recursive: true, force: true }))
beforeAll(assertBuilt)

const callsim = (args: string[]) => runCliInProcess(args)

test('lists every shipped scenario with its source file and description', async () => {
  const { code, stdout, stderr } = await callsim(['scenarios'])
  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(stdout).toContain(
    'busy-callee  (scenarios/lifecycle/busy-callee.yaml)\n    The callee is busy - InProgress after 200ms',
  )
  expect(stdout).toContain('default  (scenarios/default.yaml)\n')
  expect(stdout).toMatch(
    /\n\d+ scenarios\. Pick one per request with the header x-callsim-scenario: <id>/,
  )
})

test('adds a folder given with --scenarios and prints JSON on request', async () => {
  const dir = mkdtempSync(path.join(workspace, 'mine-'))
  writeFileSync(
    path.join(dir, 'rings-forever.yaml'),
    'description: Rings and never answers.\nlifecycle: [{ after: 1s, status: Ringing }]\n',
  )
  const { code, stdout } = await callsim(['scenarios', '--scenarios', dir, '--json'])
  expect(code).toBe(0)
  const rows = JSON.parse(stdout) as { id: string; description: string; source: string }[]
  expect(rows.find((row) => row.id === 'rings-forever')).toMatchObject({
    description: 'Rings and never answers.',
    source: path.join(dir, 'rings-forever.yaml'),
  })
  expect(rows.map((row) => row.id)).toContain('flaky-network')
})

test('refuses a broken scenario file with its line and exits 1', async () => {
  const dir = mkdtempSync(path.join(workspace, 'broken-'))
  writeFileSync(
    path.join(dir, 'typo.yaml'),
    'description: Typo.\nlifecycle:\n  - after: 1s\n    status: Bussy\n',
  )
  const { code, stdout, stderr } = await runCallsim(['scenarios', '--scenarios', dir])
  expect(code).toBe(1)
  expect(stdout).toBe('')
  expect(stderr).toMatch(
    /^callsim could not start:\n {2}- .*typo\.yaml:4 at \/lifecycle\/0\/status: "Bussy" is not allowed here; use one of: InProgress/,
  )
})
