import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { CALLS, onCleanup, setup } from './setup.js'

test('plays a scenario for the caller, resolved like an x-callsim-scenario header', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-incoming-'))
  onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(
    path.join(dir, 'caller-hangs-up-fast.yaml'),
    'description: The caller gives up after 2s.\nlifecycle:\n  - after: 2s\n    action: hang-up\n',
  )
  const { startIncomingCall, advance, http, auth, tokens } = await setup({ scenarioPaths: [dir] })
  const offered = await startIncomingCall({ scenario: 'caller-hangs-up-fast' })
  expect(offered.body.scenarioId).toBe('caller-hangs-up-fast')
  advance(2000)
  expect(
    (await http.get(`${CALLS}/sessions/${offered.body.id}`).set(auth(tokens.alice))).body.status,
  ).toBe('SessionCancelled')
  const unknown = await startIncomingCall({ scenario: 'no-such-scenario' })
  expectErrorInfo(unknown, 400, 'INVALID_ARGUMENT', /no scenario "no-such-scenario"/)
  const both = await startIncomingCall({ scenario: 'caller-hangs-up-fast', cancelAfter: '1s' })
  expectErrorInfo(
    both,
    400,
    'INVALID_ARGUMENT',
    /leave out cancelAfter and noAnswerAfter, or the scenario/,
  )
})
