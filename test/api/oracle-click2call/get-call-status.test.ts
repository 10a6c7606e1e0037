import { expect, test } from 'vitest'
import { advance } from '../../support/start-simulator.js'
import { C2C, T0, expectC2cError, setup } from './setup.js'

test('reports a delayed call as scheduled, with the time of the request and the scheduled time', async () => {
  const { start, status, calls } = await setup()
  const sessionId = await start({ delay: 60 })
  const response = await status(sessionId)
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('c2c-test-1')
  expect(response.body).toEqual({
    sessionId,
    callState: 'scheduled',
    time: T0,
    scheduledTime: T0 + 60,
    more: 'no',
    hasChanged: 'yes',
  })
  // Nothing rings before the delay has elapsed.
  expect(calls()).toEqual([])
})

test('follows the state table as the clock moves: scheduled, initiated, connected, disconnected', async () => {
  const { simulator, start, status, end } = await setup()
  const sessionId = await start({ delay: 30 })
  const poll = async () => (await status(sessionId)).body
  expect(await poll()).toMatchObject({
    callState: 'scheduled',
    time: T0,
    scheduledTime: T0 + 30,
    more: 'no',
    hasChanged: 'yes',
  })
  advance(simulator, 30_000)
  expect(await poll()).toEqual({
    sessionId,
    callState: 'initiated',
    time: T0 + 30,
    more: 'yes',
    hasChanged: 'yes',
  })
  // The default scenario answers 4 s after the call is placed.
  advance(simulator, 4000)
  expect(await poll()).toEqual({
    sessionId,
    callState: 'connected',
    time: T0 + 34,
    more: 'yes',
    hasChanged: 'yes',
  })
  advance(simulator, 120_000)
  expect((await end(sessionId)).status).toBe(200)
  expect(await poll()).toEqual({
    sessionId,
    callState: 'disconnected',
    time: T0 + 154,
    more: 'no',
    hasChanged: 'yes',
  })
})

test('says hasChanged "no" and more maybe when nothing changed since the previous poll', async () => {
  const { simulator, start, status } = await setup()
  const sessionId = await start()
  expect((await status(sessionId)).body).toMatchObject({
    callState: 'initiated',
    more: 'yes',
    hasChanged: 'yes',
  })
  advance(simulator, 1000)
  // Ringing is still `initiated` in the guide's terms.
  expect((await status(sessionId)).body).toEqual({
    sessionId,
    callState: 'initiated',
    time: T0,
    more: 'maybe',
    hasChanged: 'no',
  })
  advance(simulator, 3000)
  expect((await status(sessionId)).body).toMatchObject({
    callState: 'connected',
    more: 'yes',
    hasChanged: 'yes',
  })
  expect((await status(sessionId)).body).toMatchObject({
    callState: 'connected',
    more: 'maybe',
    hasChanged: 'no',
  })
})

test('answers hasChanged as the String "yes" or "no", as the guide\'s field table types it', async () => {
  const { start, status } = await setup()
  const sessionId = await start()
  const first = (await status(sessionId)).body as Record<string, unknown>
  const second = (await status(sessionId)).body as Record<string, unknown>
  expect([typeof first.hasChanged, first.hasChanged]).toEqual(['string', 'yes'])
  expect([typeof second.hasChanged, second.hasChanged]).toEqual(['string', 'no'])
  expect([typeof first.time, typeof first.more]).toEqual(['number', 'string'])
})

test('shows a session only to the subject that started it: others get the 404 of an unknown id', async () => {
  const { start, status, end, tokens, calls } = await setup()
  const sessionId = await start()
  const unknown = await status('3f2a9c1e-5b7d-4e08-9a61-0c4d2b7e8f13', tokens.monitor)
  const foreign = await status(sessionId, tokens.monitor)
  expectC2cError(foreign, 404, /^Call session does not exist: .* is unknown/)
  expect(foreign.body.message).toBe(
    (unknown.body.message as string).replace('3f2a9c1e-5b7d-4e08-9a61-0c4d2b7e8f13', sessionId),
  )
  expectC2cError(await end(sessionId, tokens.monitor), 404, /^Call session does not exist/)
  // The monitor's attempts changed nothing: the call still rings, and the owner's first poll is news.
  expect(calls()[0]).toMatchObject({ status: 'Initial' })
  expect((await status(sessionId)).body).toMatchObject({
    callState: 'initiated',
    hasChanged: 'yes',
  })
})

test('keeps more no on repeated polls of a disconnected call', async () => {
  const { start, status, end } = await setup()
  const sessionId = await start()
  await end(sessionId)
  expect((await status(sessionId)).body).toMatchObject({
    callState: 'disconnected',
    more: 'no',
    hasChanged: 'yes',
  })
  expect((await status(sessionId)).body).toMatchObject({
    callState: 'disconnected',
    more: 'no',
    hasChanged: 'no',
  })
})

test('reports unknown without a time once the network has forgotten the call, then 404', async () => {
  const { simulator, start, status, end } = await setup({ retentionMs: 60_000 })
  const sessionId = await start()
  await end(sessionId)
  advance(simulator, 60_000)
  expect((await status(sessionId)).body).toEqual({
    sessionId,
    callState: 'unknown',
    more: 'maybe',
    hasChanged: 'yes',
  })
  expect((await status(sessionId)).body).toEqual({
    sessionId,
    callState: 'unknown',
    more: 'maybe',
    hasChanged: 'no',
  })
  advance(simulator, 60_000)
  expectC2cError(await status(sessionId), 404, /^Call session does not exist/)
})

test('forgets a cancelled scheduled call after two retention periods as well', async () => {
  const { simulator, start, status, end } = await setup({ retentionMs: 60_000 })
  const sessionId = await start({ delay: 3600 })
  advance(simulator, 5000)
  await end(sessionId)
  expect((await status(sessionId)).body).toMatchObject({ callState: 'disconnected', time: T0 + 5 })
  advance(simulator, 60_000)
  expect((await status(sessionId)).body).toMatchObject({ callState: 'unknown' })
  advance(simulator, 60_000)
  expect((await status(sessionId)).status).toBe(404)
})

test('answers 404 for a session that does not exist or a malformed session id', async () => {
  const { status } = await setup()
  expectC2cError(
    await status('3f2a9c1e-5b7d-4e08-9a61-0c4d2b7e8f13'),
    404,
    /^Call session does not exist: "3f2a9c1e-5b7d-4e08-9a61-0c4d2b7e8f13" is unknown/,
  )
  expectC2cError(
    await status('x'.repeat(129)),
    404,
    /^Call session does not exist: path parameter sessionId must be at most 128 characters/,
  )
})

test('answers 401 without a token and 403 without the read scope', async () => {
  const { http, start, token, status } = await setup()
  const sessionId = await start()
  expectC2cError(
    await http.get(`${C2C}/${sessionId}/status`),
    401,
    /^A valid bearer token is required/,
  )
  const createOnly = await token('sip:website@shop.example.com', 'click2call:calls:create')
  expectC2cError(await status(sessionId, createOnly), 403, /lacks the scope click2call:calls:read/)
})

test('forgets scheduled calls on a simulator reset, so they never ring', async () => {
  const { simulator, start, status, calls } = await setup()
  const sessionId = await start({ delay: 5 })
  simulator.control.reset()
  advance(simulator, 10_000)
  expect(calls()).toEqual([])
  expect((await status(sessionId)).status).toBe(404)
})
