import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, test } from 'vitest'
import { waitForOutput } from '../support/run-callsim.js'
import {
  runCliInProcess,
  startCliInProcess,
  stopCliSessions,
} from '../support/run-cli-in-process.js'

// The commands run in this process, as the bin runs them, and compile the official files, which
// the build-time cache does not hold (once per process: serve, validate and scenarios share them).
const SLOW = 90_000

afterEach(stopCliSessions)

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-releases-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const RELEASES = {
  'r1.2': [
    'spec/releases/r1.2/webrtc-call-handling.yaml',
    'spec/releases/r1.2/webrtc-registration.yaml',
    'spec/releases/r1.2/webrtc-events-subscription.yaml',
  ],
  'r2.2': [
    'spec/releases/r2.2/webrtc-call-handling.yaml',
    'spec/releases/r2.2/webrtc-registration.yaml',
    'spec/releases/r2.2/webrtc-events.yaml',
  ],
} as const

const SET_ASIDE =
  /^notice: scenario calltype-emergency-not-supported \(scenarios\/errors\/calltype-emergency-not-supported\.yaml\) does not apply to the served specs and is set aside: createSession does not declare 501 CALLTYPE_EMERGENCY_NOT_SUPPORTED/m

const specArgs = (files: readonly string[]) => files.flatMap((file) => ['--spec', file])

for (const [release, files] of Object.entries(RELEASES)) {
  test(
    `starts with the official ${release} files and the shipped scenarios, setting aside the one it cannot express`,
    async () => {
      const run = startCliInProcess([
        'serve',
        '--port',
        '0',
        '--clock',
        'virtual',
        '--log-level',
        'silent',
        ...specArgs(files),
      ])
      await waitForOutput(run, /^A token for/m)
      const out = run.stdout()
      expect(out).toMatch(SET_ASIDE)
      expect(out.match(/^notice: /gm)).toHaveLength(1)
      expect(out).toMatch(/^21 scenarios \(callsim scenarios lists them\)$/m)
      expect(out).toMatch(
        /^warning: spec\/releases\/r\d\.2\/webrtc-events(-subscription)?\.yaml:\d+ at \/components\/schemas\/EventSessionStatus\/allOf\/1\/required: requires mediaSessionId, status beside `data`/m,
      )
    },
    SLOW,
  )

  test(
    `answers validate for the ${release} files and the shipped scenarios as serve does: OK, the same notice`,
    async () => {
      const { code, stdout } = await runCliInProcess(['validate', ...files, 'scenarios'])
      expect(stdout).toMatch(SET_ASIDE)
      expect(stdout.trimEnd().split('\n').pop()).toBe(
        '25 file(s) OK (3 spec(s), 22 scenario file(s))',
      )
      expect(code).toBe(0)
    },
    SLOW,
  )

  test(
    `starts each ${release} file alone`,
    async () => {
      for (const file of files) {
        const run = startCliInProcess(['serve', '--port', '0', ...specArgs([file])])
        await waitForOutput(run, /^A token for/m)
        expect(run.stdout()).toContain(`(${file})`)
        await stopCliSessions()
      }
    },
    SLOW,
  )
}

test(
  'lists a shipped scenario the served release cannot express as not applicable',
  async () => {
    const { code, stdout } = await runCliInProcess(['scenarios', ...specArgs(RELEASES['r2.2'])])
    expect(stdout).toMatch(
      /^calltype-emergency-not-supported {2}\(scenarios\/errors\/calltype-emergency-not-supported\.yaml\) {2}not applicable$/m,
    )
    expect(stdout).toMatch(/^21 scenarios, 1 not applicable to the served specs\. /m)
    expect(code).toBe(0)
  },
  SLOW,
)

test(
  'keeps the user’s own scenarios strict: serve refuses with file:line, and validate says the same',
  async () => {
    const dir = mkdtempSync(path.join(workspace, 'mine-'))
    writeFileSync(
      path.join(dir, 'emergency.yaml'),
      [
        'description: no emergency calls',
        'faults:',
        '  - operations: [createSession]',
        '    action: { type: respond, status: 501, code: CALLTYPE_EMERGENCY_NOT_SUPPORTED, message: no }',
        '',
      ].join('\n'),
    )
    const file = RELEASES['r2.2'][0]
    const served = await runCliInProcess([
      'serve',
      '--port',
      '0',
      '--spec',
      file,
      '--scenarios',
      dir,
    ])
    expect(served.code).not.toBe(0)
    const expected = /emergency\.yaml:4 at \/faults\/0\/action: createSession does not declare 501/
    expect(served.stderr + served.stdout).toMatch(expected)
    const validated = await runCliInProcess(['validate', file, dir])
    expect(validated.stdout).toMatch(expected)
    expect(validated.code).toBe(1)
  },
  SLOW,
)
