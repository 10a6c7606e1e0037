import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { testCompileCache } from '../support/compile-cache.js'
import { collectFiles, loadRunFile, createStepsValidator, readStepsSchema } from '../../src/runner/index.js'
import { assertBuilt, runCallsim, stopCallsimRuns } from '../support/run-callsim.js'

// One child process plays the whole library; slow-network and flaky-network advance the virtual
// clock in small steps, so allow for a busy machine.
vi.setConfig({ testTimeout: 120_000 })

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-shipped-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))
afterEach(stopCallsimRuns)
beforeAll(assertBuilt)

/** Every scenario the library ships, by id, read the way `callsim run` reads them. */
function shippedScenarios() {
  const validate = createStepsValidator(readStepsSchema(), testCompileCache())
  return collectFiles(['scenarios']).files.flatMap((file) => loadRunFile(readFileSync(file, 'utf8'), path.relative(process.cwd(), file), validate, testCompileCache()).scenarios)
}

test('every shipped scenario has client steps that prove what it promises', () => {
  const scenarios = shippedScenarios()
  expect(scenarios.length).toBeGreaterThanOrEqual(20)
  const withoutSteps = scenarios.filter((scenario) => scenario.steps === undefined || scenario.steps.length === 0).map((scenario) => scenario.id)
  expect(withoutSteps).toEqual([])
  const withProblems = scenarios.flatMap((scenario) => scenario.problems.map((problem) => `${scenario.id}: ${problem.message}`))
  expect(withProblems).toEqual([])
})

test('callsim run plays the whole library against an in-process callsim and every scenario passes', async () => {
  const scenarios = shippedScenarios()
  const report = path.join(workspace, 'shipped.xml')
  const { code, stdout, stderr } = await runCallsim(['run', 'scenarios/', '--junit', report], { timeoutMs: 110_000 })
  // On a failure the progress output says which step of which scenario missed, and why.
  expect(stdout.split('\n').filter((line) => line.includes('✗') || /^ {8}\S/.test(line))).toEqual([])
  expect(stderr).toBe('')
  expect(stdout.trimEnd().split('\n').pop()).toBe(`${scenarios.length} passed, 0 failed`)
  expect(code).toBe(0)
  const xml = readFileSync(report, 'utf8')
  expect(xml.match(/<testcase /g)).toHaveLength(scenarios.length)
  expect(xml).not.toMatch(/<(failure|error|skipped)/)
  for (const scenario of scenarios) expect(xml).toContain(`<testcase name="${scenario.id}"`)
}, 120_000)
