import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { advance } from '../../support/start-simulator.js'
import { ALICE, expectSbcError, setup } from './setup.js'

/**
 * Every way a call can end, scripted by the shipped scenarios (magic numbers, or the header for
 * remote-hang-up), as the SBC logs it: the SIP reason and the side that ended the call.
 */
const ENDINGS = [
  {
    callee: 'tel:+15550100486',
    scenario: undefined,
    endedReason: '486',
    endedBy: 'B',
    answered: false,
  },
  {
    callee: 'tel:+15550100480',
    scenario: undefined,
    endedReason: '480',
    endedBy: 'S',
    answered: false,
  },
  {
    callee: 'tel:+15550100404',
    scenario: undefined,
    endedReason: '404',
    endedBy: 'S',
    answered: false,
  },
  {
    callee: 'tel:+15550100603',
    scenario: undefined,
    endedReason: '603',
    endedBy: 'B',
    answered: false,
  },
  {
    callee: 'tel:+15550100500',
    scenario: undefined,
    endedReason: '500',
    endedBy: 'S',
    answered: false,
  },
  {
    callee: 'tel:+15550002',
    scenario: 'remote-hang-up',
    endedReason: 'BYE',
    endedBy: 'B',
    answered: true,
  },
] as const

test('logs the SIP reason and the ending side of every scripted ending', async () => {
  const { simulator, call, listSessions } = await setup()
  for (const ending of ENDINGS) await call(ending.callee, ALICE, ending.scenario)
  advance(simulator, 120_000)
  const { body } = await listSessions()
  expect(body.total).toBe(ENDINGS.length)
  ENDINGS.forEach((ending, index) => {
    const session = body.sessions[index] as Record<string, unknown>
    expect(session).toMatchObject({
      bNumber: ending.callee.slice('tel:'.length),
      endedReason: ending.endedReason,
      endedBy: ending.endedBy,
    })
    expect(session.ended).toEqual(expect.any(String))
    expect('answered' in session).toBe(ending.answered)
  })
})

test('injects a fault plan on SBC operations in the TelecomX error shape', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-sbc-scenarios-'))
  try {
    writeFileSync(
      path.join(dir, 'sbc-outage.yaml'),
      [
        'description: The SBC has lost its session table.',
        'faults:',
        '  - operations: [getSession]',
        '    action: { type: respond, status: 404, code: id, message: Session not found (injected). }',
        '  - operations: [listSessions]',
        '    action: { type: respond, status: 500, code: internal_error, message: Session table unavailable. }',
        '',
      ].join('\n'),
    )
    const { call, getSession, listSessions } = await setup({ scenarioPaths: [dir] })
    const { sipCallId } = await call()
    const outage = { 'x-callsim-scenario': 'sbc-outage' }
    expectSbcError(
      await getSession(sipCallId).set(outage),
      404,
      'id',
      /^Session not found \(injected\)\.$/,
    )
    expectSbcError(
      await listSessions().set(outage),
      500,
      'internal_error',
      /^Session table unavailable\.$/,
    )
    // Without the header the session is there, untouched.
    expect((await getSession(sipCallId)).status).toBe(200)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
