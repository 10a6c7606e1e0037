import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { assertBuilt, runCallsim, stopCallsimRuns } from '../support/run-callsim.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'

// The commands run in this process, as the bin runs them; -V and an unknown option go through
// the built bin, for its streams and exit codes. A busy 2-core machine is slow at a start.
vi.setConfig({ testTimeout: 60_000 })

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-usage-'))
const servers: Server[] = []
beforeAll(assertBuilt)
afterEach(stopCallsimRuns)
afterAll(async () => {
  rmSync(workspace, { recursive: true, force: true })
  for (const server of servers) await new Promise((resolve) => server.close(resolve))
})

const callsim = (args: string[]) => runCliInProcess(args, { cwd: workspace })
const spawned = (args: string[]) => runCallsim(args, { cwd: workspace })
const POINTER = /^Run 'callsim (\w+ )?--help' to see every option\.$/

/** The lines of stderr: a usage error is exactly the error line and the pointer to --help. */
function expectUsageError(result: { code: number | null; stderr: string }, error: RegExp): void {
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines, result.stderr).toHaveLength(2)
  expect(lines[0]).toMatch(error)
  expect(lines[1]).toMatch(POINTER)
  expect(result.code).toBe(2)
}

const PETSTORE = `openapi: 3.0.3
info:
  title: Swagger Petstore
  version: 1.0.0
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: A list of pets.
`

test('prints the version of the package with --version and -V', async () => {
  const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }
  // --version in this process, -V through the bin.
  for (const [flag, run] of [
    ['--version', callsim],
    ['-V', spawned],
  ] as const) {
    const result = await run([flag])
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' })
  }
})

test('answers an unknown option with one line, a pointer to --help, and exit code 2', async () => {
  expectUsageError(
    await spawned(['serve', '--prot', '80']),
    /^error: unknown option '--prot' \(Did you mean --port\?\)$/,
  )
})

test('answers an unknown command and a missing argument the same way', async () => {
  const unknown = await callsim(['srve'])
  expect(unknown.code).toBe(2)
  expect(unknown.stderr).toMatch(/^error: unknown command 'srve'/)
  expect(unknown.stderr).not.toContain('Options:')
  expectUsageError(await callsim(['validate']), /^error: missing required argument 'paths'/)
  expectUsageError(await callsim(['token']), /^error: required option '--scope <scopes>'/)
})

test('names --host, not --port, when the host does not resolve', async () => {
  const result = await callsim(['serve', '--host', 'nosuchhost.invalid', '--port', '0'])
  expect(result.code).toBe(1)
  expect(result.stderr).toContain(
    'the host name nosuchhost.invalid does not resolve to an address. Choose another --host',
  )
  expect(result.stderr).not.toContain('--port')
})

test('names --port when the port is taken', async () => {
  const taken = createServer()
  servers.push(taken)
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  const { port } = taken.address() as { port: number }
  const result = await callsim(['serve', '--host', '127.0.0.1', '--port', String(port)])
  expect(result.code).toBe(1)
  expect(result.stderr).toContain(
    `Failed to listen on 127.0.0.1:${port}: the port is already in use. Choose another --port`,
  )
})

test('validate refuses a spec that serve refuses, and both list the operationIds callsim simulates', async () => {
  writeFileSync(path.join(workspace, 'petstore.yaml'), PETSTORE)
  const validate = await callsim(['validate', 'petstore.yaml'])
  const serve = await callsim(['serve', '--port', '0', '--spec', 'petstore.yaml'])
  const refusal =
    /petstore\.yaml: none of its operationIds \(listPets\) is one callsim simulates, so it replaces no face\. A --spec file replaces the face it shares operationIds with: camara-call-handling \(createSession, [^)]*getSessionDetailsById[^)]*\); .*telecomx-sbc \([^)]+\)/
  expect(validate.stdout).toMatch(refusal)
  expect(validate.stdout).toContain('1 problem(s) in 1 file(s)')
  expect(validate.code).toBe(1)
  expect(serve.stderr).toMatch(refusal)
  expect(serve.code).toBe(1)
})
