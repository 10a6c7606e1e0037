import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, BOB } from '../../support/start-simulator.js'
import { CALLS, OFFER, REGISTRATIONS, setup } from './setup.js'

const WHAT_TO_DO =
  'Register the device with the WebRTC Registration API (POST /sessions), refresh it with PUT before expiresAt, ' +
  'and send the registrationId it returns; or start callsim with --registration optional.'

test('places a call with the registrationId of the caller’s active registration', async () => {
  const { createSession } = await setup()
  const response = await createSession()
  expect(response.status).toBe(201)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('auth-test-1')
  expect(response.body).toMatchObject({
    originatorAddress: ALICE,
    receiverAddress: BOB,
    status: 'Initial',
  })
})

test('answers 400 INVALID_ARGUMENT naming the header for an unknown registrationId', async () => {
  const { simulator, createSession } = await setup()
  const response = await createSession(undefined, { registrationid: 'reg-1' })
  expectErrorInfo(response, 400, 'INVALID_ARGUMENT')
  expect(response.body.message).toBe(
    `header registrationId: no active registration reg-1 is known. ${WHAT_TO_DO}`,
  )
  expect(simulator.network.size).toBe(0)
})

test('answers 400 INVALID_ARGUMENT saying when the registration expired', async () => {
  const { simulator, createSession, registrationId } = await setup()
  simulator.control.advanceClock(3_600_000)
  const response = await createSession()
  expectErrorInfo(response, 400, 'INVALID_ARGUMENT')
  expect(response.body.message).toBe(
    `header registrationId: registration ${registrationId} expired at 2025-01-01T01:00:00.000Z. ${WHAT_TO_DO}`,
  )
  expect(simulator.network.size).toBe(0)
})

test('answers 400 INVALID_ARGUMENT for a deleted registration', async () => {
  const { http, tokens, createSession, registrationId } = await setup()
  expect(
    (
      await http
        .delete(`${REGISTRATIONS}/sessions/${registrationId}`)
        .set('authorization', `Bearer ${tokens.alice}`)
    ).status,
  ).toBe(204)
  expectErrorInfo(
    await createSession(),
    400,
    'INVALID_ARGUMENT',
    new RegExp(`registration ${registrationId} was deleted at 2025-01-01T00:00:00.000Z`),
  )
})

test('answers 403 INVALID_TOKEN_CONTEXT for another subscriber’s registration', async () => {
  const { simulator, createSession } = await setup()
  const bobs = await registerDevice(simulator, BOB)
  const response = await createSession(undefined, { registrationid: bobs })
  expectErrorInfo(response, 403, 'INVALID_TOKEN_CONTEXT')
  expect(response.body.message).toBe(
    `registrationId is not consistent with access token: registration ${bobs} belongs to another subscriber. Send a registrationId your token's subscriber registered.`,
  )
  expect(simulator.network.size).toBe(0)
})

test('checks the token context of the originator before the registration', async () => {
  const { createSession } = await setup()
  const response = await createSession(
    { originatorAddress: 'tel:+15550009', receiverAddress: BOB, offer: OFFER },
    { registrationid: 'reg-1' },
  )
  expectErrorInfo(
    response,
    403,
    'INVALID_TOKEN_CONTEXT',
    /^originator info is not consistent with access token\.$/,
  )
})

test('accepts any registrationId with --registration optional', async () => {
  const { createSession } = await setup({ registration: 'optional' })
  const response = await createSession(undefined, { registrationid: 'anything-goes' })
  expect(response.status).toBe(201)
  expect(response.body.status).toBe('Initial')
})

test('still requires the registrationId header in optional mode, because the spec does', async () => {
  const { http, tokens } = await setup({ registration: 'optional' })
  const response = await http
    .post(`${CALLS}/sessions`)
    .set('authorization', `Bearer ${tokens.alice}`)
    .send({ originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER })
  expectErrorInfo(response, 400, 'INVALID_ARGUMENT', /registrationId/)
})
