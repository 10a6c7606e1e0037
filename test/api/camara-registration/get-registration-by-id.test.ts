import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { setup } from './setup.js'

test('reads the caller’s registration', async () => {
  const { register, get } = await setup()
  const registered = await register()
  const response = await get(registered.body.registrationId)
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('reg-test-1')
  expect(response.body).toEqual(registered.body)
})

test('answers 404 NOT_FOUND for an unknown registrationId', async () => {
  const { get } = await setup()
  expectErrorInfo(
    await get('0d4b1f0e-2c1a-4c55-9d8e-111111111111'),
    404,
    'NOT_FOUND',
    /no active registration 0d4b1f0e-2c1a-4c55-9d8e-111111111111 for this caller/,
  )
})

test('answers another subscriber exactly as for an unknown id', async () => {
  const { register, get, tokens } = await setup()
  const id = (await register()).body.registrationId as string
  const unknownId = '0d4b1f0e-2c1a-4c55-9d8e-111111111111'
  const foreign = await get(id, tokens.bob)
  const unknown = await get(unknownId, tokens.bob)
  expectErrorInfo(foreign, 404, 'NOT_FOUND')
  expect(foreign.body.message).toBe(unknown.body.message.replace(unknownId, id))
})

test('answers 404 saying when the registration expired once the clock passes expiresAt', async () => {
  const { simulator, register, get, tokens } = await setup()
  const id = (await register()).body.registrationId as string
  simulator.control.advanceClock(3_600_000 - 1)
  expect((await get(id)).status).toBe(200)
  simulator.control.advanceClock(1)
  expectErrorInfo(
    await get(id),
    404,
    'NOT_FOUND',
    /registration .* expired at 2025-01-01T01:00:00\.000Z; register the device again/,
  )
  // Only the owner learns that it expired.
  expect((await get(id, tokens.bob)).body.message).toMatch(
    /no active registration .* for this caller/,
  )
})

test('forgets registrations on POST /_callsim/reset', async () => {
  const { http, register, get } = await setup()
  const id = (await register()).body.registrationId as string
  expect((await http.post('/_callsim/reset').set('content-type', 'application/json')).status).toBe(
    204,
  )
  expectErrorInfo(await get(id), 404, 'NOT_FOUND', /no active registration/)
})
