import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { expect, test } from 'vitest'
import { advance } from '../../support/start-simulator.js'
import { T0, expectC2cError, setup } from './setup.js'

test('lets the visitor number pick the lifecycle: a busy visitor disconnects without an answer', async () => {
  const { simulator, start, status, calls } = await setup()
  // tel:+15550100486 is the busy-callee magic number: InProgress at 200 ms, Busy 300 ms later.
  const sessionId = await start(undefined, 'sales', '+15550100486')
  advance(simulator, 200)
  expect((await status(sessionId)).body).toMatchObject({ callState: 'initiated', more: 'yes' })
  advance(simulator, 300)
  expect((await status(sessionId)).body).toEqual({
    sessionId,
    callState: 'disconnected',
    time: T0,
    more: 'no',
    hasChanged: 'yes',
  })
  expect(calls()[0]).toMatchObject({
    scenarioId: 'busy-callee',
    status: 'Busy',
    endedBy: 'B',
    endedReason: '486',
  })
})

test('keeps the scenario chosen at startCall for a call placed after its delay', async () => {
  const { simulator, http, tokens, auth, status, calls } = await setup()
  const started = await http
    .post('/call/2.0/sales/+15550002')
    .set(auth(tokens.website))
    .set('x-callsim-scenario', 'remote-hang-up')
    .send({ delay: 30 })
  expect(started.status).toBe(200)
  const { sessionId } = started.body as { sessionId: string }
  advance(simulator, 30_000 + 4000)
  expect((await status(sessionId)).body).toMatchObject({ callState: 'connected', time: T0 + 34 })
  // remote-hang-up: the visitor hangs up 14 s after the call was placed.
  advance(simulator, 10_000)
  expect((await status(sessionId)).body).toMatchObject({ callState: 'disconnected', time: T0 + 44 })
  expect(calls()[0]).toMatchObject({
    scenarioId: 'remote-hang-up',
    status: 'Terminated',
    endedBy: 'B',
    endedReason: 'BYE',
  })
})

test('injects a fault plan on Click2Call operations in the Click2Call error shape', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-c2c-scenarios-'))
  try {
    writeFileSync(
      path.join(dir, 'c2c-refusals.yaml'),
      [
        'description: The contact centre refuses new calls and forgets running ones.',
        'faults:',
        '  - operations: [startCall]',
        '    action: { type: respond, status: 403, code: BLOCKED, message: Pre-call authorisation failed (injected). }',
        '  - operations: [getCallStatus, endCall]',
        '    action: { type: respond, status: 404, code: NOT_FOUND, message: Call session does not exist (injected). }',
        '',
      ].join('\n'),
    )
    const { start, startCall, status, end, calls } = await setup({ scenarioPaths: [dir] })
    const sessionId = await start()
    const refusals = { 'x-callsim-scenario': 'c2c-refusals' }
    expectC2cError(
      await startCall().set(refusals),
      403,
      /^Pre-call authorisation failed \(injected\)\.$/,
    )
    expectC2cError(
      await status(sessionId).set(refusals),
      404,
      /^Call session does not exist \(injected\)\.$/,
    )
    expectC2cError(await end(sessionId).set(refusals), 404, /\(injected\)/)
    // The refused start placed nothing, and the injected 404s left the first call alone.
    expect(calls()).toHaveLength(1)
    expect((await status(sessionId)).body).toMatchObject({ callState: 'initiated' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
