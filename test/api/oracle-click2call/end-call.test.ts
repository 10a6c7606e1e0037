import { expect, test } from 'vitest'
import { advance } from '../../support/start-simulator.js'
import { C2C, T0, expectC2cError, setup } from './setup.js'

test('ends a connected call with a BYE from the contact centre and answers callState ended', async () => {
  const { simulator, start, end, calls } = await setup()
  const sessionId = await start()
  advance(simulator, 10_000)
  const response = await end(sessionId)
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('c2c-test-1')
  expect(response.body).toEqual({ callState: 'ended' })
  expect(calls()[0]).toMatchObject({
    status: 'Terminated',
    endedBy: 'A',
    endedReason: 'BYE',
    endedAt: (T0 + 10) * 1000,
  })
})

test('cancels a call that is still ringing', async () => {
  const { simulator, start, end, calls } = await setup()
  const sessionId = await start()
  advance(simulator, 1500)
  expect((await end(sessionId)).body).toEqual({ callState: 'ended' })
  expect(calls()[0]).toMatchObject({
    status: 'SessionCancelled',
    endedBy: 'A',
    endedReason: 'CANCEL',
  })
})

test('ends a scheduled call before it starts, so it never rings', async () => {
  const { simulator, start, end, status, calls } = await setup()
  const sessionId = await start({ delay: 60 })
  advance(simulator, 20_000)
  expect((await end(sessionId)).body).toEqual({ callState: 'ended' })
  advance(simulator, 60_000)
  expect(calls()).toEqual([])
  expect((await status(sessionId)).body).toEqual({
    sessionId,
    callState: 'disconnected',
    time: T0 + 20,
    more: 'no',
    hasChanged: 'yes',
  })
})

test('answers 403 when the call has already ended, however it ended', async () => {
  const { simulator, start, end } = await setup({ retentionMs: 60_000 })
  const endedTwice = await start()
  await end(endedTwice)
  expectC2cError(await end(endedTwice), 403, /^The call is already ending or has ended/)
  const cancelledTwice = await start({ delay: 60 })
  await end(cancelledTwice)
  expectC2cError(await end(cancelledTwice), 403, /already ending or has ended/)
  // Once the network has forgotten the call (state unknown), it can still not be ended.
  advance(simulator, 60_000)
  expectC2cError(await end(endedTwice), 403, /already ending or has ended/)
})

test('answers 404 for a session that does not exist', async () => {
  const { end } = await setup()
  expectC2cError(
    await end('3f2a9c1e-5b7d-4e08-9a61-0c4d2b7e8f13'),
    404,
    /^Call session does not exist/,
  )
})

test('answers 401 without a token and 403 without the delete scope, and leaves the call up', async () => {
  const { http, start, token, end, calls } = await setup()
  const sessionId = await start()
  expectC2cError(await http.delete(`${C2C}/${sessionId}`), 401)
  const readOnly = await token('sip:website@shop.example.com', 'click2call:calls:read')
  expectC2cError(await end(sessionId, readOnly), 403, /lacks the scope click2call:calls:delete/)
  expect(calls()[0]?.status).toBe('Initial')
})
