import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'

// Each run starts node, which loads every built-in spec; a busy 2-core machine needs seconds.
vi.setConfig({ testTimeout: 60_000 })

const BIN = path.resolve('dist/cli/index.js')
const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-scenarios-cli-'))
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM')
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error('dist/cli/index.js is missing: run `npm run build` first (npm test does).')
})

function callsim(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { timeout: 45_000 })
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

test('lists every shipped scenario with its source file and description', async () => {
  const { code, stdout, stderr } = await callsim(['scenarios'])
  expect(stderr).toBe('')
  expect(code).toBe(0)
  expect(stdout).toContain('busy-callee  (scenarios/lifecycle/busy-callee.yaml)\n    The callee is busy - InProgress after 200ms')
  expect(stdout).toContain('default  (scenarios/default.yaml)\n')
  expect(stdout).toMatch(/\n\d+ scenarios\. Pick one per request with the header x-callsim-scenario: <id>/)
})

test('adds a folder given with --scenarios and prints JSON on request', async () => {
  const dir = mkdtempSync(path.join(workspace, 'mine-'))
  writeFileSync(path.join(dir, 'rings-forever.yaml'), 'description: Rings and never answers.\nlifecycle: [{ after: 1s, status: Ringing }]\n')
  const { code, stdout } = await callsim(['scenarios', '--scenarios', dir, '--json'])
  expect(code).toBe(0)
  const rows = JSON.parse(stdout) as { id: string; description: string; source: string }[]
  expect(rows.find((row) => row.id === 'rings-forever')).toMatchObject({ description: 'Rings and never answers.', source: path.join(dir, 'rings-forever.yaml') })
  expect(rows.map((row) => row.id)).toContain('flaky-network')
})

test('refuses a broken scenario file with its line and exits 1', async () => {
  const dir = mkdtempSync(path.join(workspace, 'broken-'))
  writeFileSync(path.join(dir, 'typo.yaml'), 'description: Typo.\nlifecycle:\n  - after: 1s\n    status: Bussy\n')
  const { code, stdout, stderr } = await callsim(['scenarios', '--scenarios', dir])
  expect(code).toBe(1)
  expect(stdout).toBe('')
  expect(stderr).toMatch(/^callsim could not start:\n {2}- .*typo\.yaml:4 at \/lifecycle\/0\/status: "Bussy" is not allowed here; use one of: InProgress/)
})
