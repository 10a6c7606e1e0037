/* eslint-disable no-template-curly-in-string -- run files write ${…} expressions in plain strings */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { assertBuilt, runCallsim, stopCallsimRuns } from '../support/run-callsim.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'

// The commands run in this process (output and exit code as the terminal shows them), one
// through the built bin. Compiling the specs they check is slow on a busy 2-core machine. Each
// test passes this itself: under the full suite (shared forks) a file's vi.setConfig was not in
// force, and these tests met the 20 s default.
const CHILD_PROCESS_MS = 60_000

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-validate-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

afterEach(stopCallsimRuns)

beforeAll(assertBuilt)

const callsim = (args: string[]) => runCliInProcess(args, { cwd: workspace })
const spawned = (args: string[]) => runCallsim(args, { cwd: workspace })

/** Writes a file into the workspace (the commands' working directory) and returns its name. */
function file(name: string, text: string): string {
  writeFileSync(path.join(workspace, name), text)
  return name
}

const REPO = process.cwd()

test(
  'finds no problem in the shipped specs and scenarios',
  async () => {
    const { code, stdout } = await callsim([
      'validate',
      path.join(REPO, 'spec'),
      path.join(REPO, 'scenarios'),
    ])
    expect(stdout).toMatch(
      /callsim-scenario\.schema\.json: a JSON Schema, not a spec or scenario file; skipped/,
    )
    expect(stdout.trimEnd().split('\n').pop()).toMatch(
      /^\d+ file\(s\) OK \(\d+ spec\(s\), \d+ scenario file\(s\)\)$/,
    )
    expect(code).toBe(0)
  },
  CHILD_PROCESS_MS,
)

test(
  'lists every problem of a spec with its line',
  async () => {
    const spec = file(
      'broken-spec.yaml',
      `openapi: 3.0.3
info: { title: broken, version: '1' }
paths:
  /a:
    get:
      operationId: same
      responses: { '200': { description: ok } }
  /b:
    get:
      operationId: same
      responses: { '200': { $ref: '#/components/responses/Missing' } }
`,
    )
    const { code, stdout } = await callsim(['validate', spec])
    expect(stdout).toContain(
      'broken-spec.yaml:10 at /paths/~1b/get: operationId "same" is used twice (first at /paths/~1a/get)',
    )
    expect(stdout).toContain(
      `broken-spec.yaml:11 at /paths/~1b/get/responses/200: reference "#/components/responses/Missing" points to nothing in this document`,
    )
    expect(stdout.trimEnd().split('\n').pop()).toBe('2 problem(s) in 1 file(s)')
    expect(code).toBe(1)
  },
  CHILD_PROCESS_MS,
)

test(
  'lists schema problems, undeclared injected errors and steps that call unknown operations',
  async () => {
    const scenario = file(
      'bad-scenario.yaml',
      `description: several mistakes
faults:
  - operations: [createSession]
    action: { type: respond, status: 418, code: TEAPOT, message: no }
steps:
  - request: createSesion
  - request: getSessionDetailsById
    params: { mediaSessionId: "\${later.body.mediaSessionId}", sessionId: x }
  - name: later
    wait: 1s
`,
    )
    const { code, stdout } = await callsim(['validate', scenario])
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^bad-scenario\.yaml:4 at \/faults\/0.*createSession does not declare 418 TEAPOT/,
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^bad-scenario\.yaml:6 at \/steps\/0\/request: request: no operation "createSesion" .* Did you mean createSession\?/,
      ),
    )
    expect(lines).toContain(
      'bad-scenario.yaml:7 at /steps/1/params: params.sessionId: getSessionDetailsById has no parameter "sessionId"; declared: x-correlator (header), mediaSessionId (path). Send other headers with headers.',
    )
    expect(lines).toContain(
      'bad-scenario.yaml:7 at /steps/1: ${later...} reads a step that runs later; an expression can only read steps above it',
    )
    expect(lines.pop()).toMatch(/^\d+ problem\(s\) in 1 file\(s\)$/)
    expect(code).toBe(1)
  },
  CHILD_PROCESS_MS,
)

test(
  "reports a step schema problem once, in the runner's words",
  async () => {
    const scenario = file(
      'bad-steps.yaml',
      'description: a typo\nsteps:\n  - request: createSession\n    expect: { status: 99 }\n',
    )
    const { code, stdout } = await spawned(['validate', scenario])
    expect(stdout).toBe(
      'bad-steps.yaml:4 at /steps/0/expect/status: must be a status code (100-599) or a list of them\n\n1 problem(s) in 1 file(s)\n',
    )
    expect(code).toBe(1)
  },
  CHILD_PROCESS_MS,
)

test(
  'accepts steps that call an operation of a spec given in the same command, and says serve would refuse that spec',
  async () => {
    const spec = file(
      'vendor.yaml',
      `openapi: 3.0.3
info: { title: vendor, version: '1' }
servers: [{ url: 'https://vendor.example/api' }]
paths:
  /ping:
    get:
      operationId: ping
      responses: { '204': { description: pong } }
`,
    )
    const scenario = file(
      'uses-vendor.yaml',
      'description: pings\nsteps:\n  - request: ping\n    expect: { status: 204 }\n',
    )
    const alone = await callsim(['validate', scenario])
    expect(alone.stdout).toContain('request: no operation "ping"')
    expect(alone.code).toBe(1)
    // `callsim run --target <provider> --spec vendor.yaml` can call ping; serve cannot mount it.
    const together = await callsim(['validate', spec, scenario])
    expect(together.stdout).not.toContain('no operation "ping"')
    expect(together.stdout).toMatch(
      /^vendor\.yaml: none of its operationIds \(ping\) is one callsim simulates, so it replaces no face\./,
    )
    expect(together.stdout).toContain('1 problem(s) in 2 file(s)')
    expect(together.code).toBe(1)
  },
  CHILD_PROCESS_MS,
)

test(
  'names a path that does not exist',
  async () => {
    const { code, stdout } = await callsim(['validate', 'nowhere.yaml'])
    expect(stdout).toContain('nowhere.yaml: no such file or directory')
    expect(code).toBe(1)
  },
  CHILD_PROCESS_MS,
)

test(
  'reports a pattern no linear-time engine can run, in a spec and in a scenario, with its line',
  async () => {
    const spec = file(
      'backreference-spec.yaml',
      `openapi: 3.0.3
info: { title: patterns, version: '1' }
paths:
  /a/{id}:
    get:
      operationId: getA
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
            pattern: '^(a)\\1$'
      responses: { '200': { description: ok } }
`,
    )
    const scenario = file(
      'lookahead.yaml',
      `description: Selected by a lookahead.
match:
  headers:
    x-tenant: { matches: '^(?=a)\\w+$' }
`,
    )
    const { code, stdout } = await callsim(['validate', spec, scenario])
    expect(stdout).toContain(
      `backreference-spec.yaml:13 at /paths/~1a~1{id}/get/parameters/0/schema/pattern: "^(a)\\1$" uses a backreference, which callsim's linear-time regular expression engine cannot run`,
    )
    expect(stdout).toContain(
      `lookahead.yaml:4 at /match/headers/x-tenant/matches: "^(?=a)\\w+$" uses a lookaround`,
    )
    expect(code).toBe(1)
  },
  CHILD_PROCESS_MS,
)

test(
  'reports an alias bomb and a file over --max-file-size with their place, never a stack trace',
  async () => {
    const lines = ['description: An alias bomb.', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
    for (let level = 1; level < 10; level += 1)
      lines.push(
        `a${level}: &a${level} [${Array(10)
          .fill(`*a${level - 1}`)
          .join(', ')}]`,
      )
    const bomb = file('bomb.yaml', `${lines.join('\n')}\n`)
    const big = file('big.yaml', `description: Big.\n# ${'x'.repeat(2 * 1024 * 1024)}\n`)
    const { code, stdout, stderr } = await callsim(['validate', '--max-file-size', '1', bomb, big])
    expect(stdout).toContain(
      "bomb.yaml:3: YAML aliases (*name) here expand to more data than callsim reads (the yaml library's maxAliasCount of 100)",
    )
    expect(stdout).toContain(
      'big.yaml: the file is 2 MiB, more than the 1 MiB callsim reads; split it, or raise the limit with --max-file-size <MiB>',
    )
    expect(stderr).not.toMatch(/\n\s+at /)
    expect(code).toBe(1)
  },
  CHILD_PROCESS_MS,
)
