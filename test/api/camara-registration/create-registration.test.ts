import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, tokenFor } from '../../support/start-simulator.js'
import { DEFAULT_EXPIRY, DEVICE_ID, OTHER_DEVICE_ID, UUID, setup } from './setup.js'

test('registers a device for the token subscriber and answers 201 with the registration', async () => {
  const { register } = await setup()
  const response = await register()
  expect(response.status).toBe(201)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('reg-test-1')
  expect(response.body).toEqual({
    registrationId: expect.stringMatching(UUID),
    regInfo: { phoneNumber: '+15550001', regStatus: 'Registered' },
    expiresAt: DEFAULT_EXPIRY,
  })
})

test('gives the same registrationId for the same seed', async () => {
  const first = await (await setup()).register()
  const second = await (await setup()).register()
  const reseeded = await (await setup({ seed: 43 })).register()
  expect(second.body.registrationId).toBe(first.body.registrationId)
  expect(reseeded.body.registrationId).not.toBe(first.body.registrationId)
})

test('applies a requested expiry within range and caps one beyond 24 hours', async () => {
  const { register } = await setup()
  const within = await register(undefined, {
    deviceId: DEVICE_ID,
    registrationExpireTime: '2025-01-01T02:30:00+01:00',
  })
  expect(within.status).toBe(201)
  expect(within.body.expiresAt).toBe('2025-01-01T01:30:00.000Z')
  const beyond = await register(undefined, {
    deviceId: OTHER_DEVICE_ID,
    registrationExpireTime: '2025-03-01T00:00:00Z',
  })
  expect(beyond.status).toBe(201)
  expect(beyond.body.expiresAt).toBe('2025-01-02T00:00:00.000Z')
})

test('answers 400 OUT_OF_RANGE for an expiry below the one-minute minimum and registers nothing', async () => {
  const { register, list } = await setup()
  const response = await register(undefined, {
    deviceId: DEVICE_ID,
    registrationExpireTime: '2025-01-01T00:00:30Z',
  })
  expectErrorInfo(
    response,
    400,
    'OUT_OF_RANGE',
    /registrationExpireTime 2025-01-01T00:00:30\.000Z is before the earliest allowed expiry 2025-01-01T00:01:00\.000Z/,
  )
  expect((await list(DEVICE_ID)).body).toEqual([])
})

test('answers 409 ALREADY_EXISTS for a second registration of the same device and number', async () => {
  const { register, list } = await setup()
  const first = await register()
  const again = await register(undefined, {
    deviceId: DEVICE_ID,
    registrationExpireTime: '2025-01-01T05:00:00Z',
  })
  expectErrorInfo(
    again,
    409,
    'ALREADY_EXISTS',
    /already exists for the supplied deviceId 4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11.*GET \/sessions\?deviceId=/,
  )
  // The existing registration is neither replaced nor extended.
  expect((await list(DEVICE_ID)).body).toEqual([first.body])
})

test('lets the same device register for a second subscriber', async () => {
  const { register, tokens } = await setup()
  expect((await register()).status).toBe(201)
  const bob = await register(tokens.bob)
  expect(bob.status).toBe(201)
  expect(bob.body.regInfo).toEqual({ phoneNumber: '+15550002', regStatus: 'Registered' })
})

test('omits phoneNumber for a SIP subscriber without a telephone number', async () => {
  const { simulator, register } = await setup()
  const token = await tokenFor(simulator, 'sip:alice@example.com')
  const response = await register(token)
  expect(response.status).toBe(201)
  expect(response.body.regInfo).toEqual({ regStatus: 'Registered' })
})

test('answers 400 INVALID_ARGUMENT for a missing body, a missing deviceId or a deviceId that is no UUID', async () => {
  const { register } = await setup()
  expectErrorInfo(
    await register(undefined, null),
    400,
    'INVALID_ARGUMENT',
    /request body is missing; send \{"deviceId"/,
  )
  expectErrorInfo(await register(undefined, {}), 400, 'INVALID_ARGUMENT', /deviceId/)
  expectErrorInfo(
    await register(undefined, { deviceId: 'my-phone' }),
    400,
    'INVALID_ARGUMENT',
    /deviceId.*uuid/,
  )
})

test('answers 401 without a token and 403 PERMISSION_DENIED naming the create scope', async () => {
  const { simulator, http, register } = await setup()
  const anonymous = await http
    .post('/webrtc-registration/vwip/sessions')
    .send({ deviceId: DEVICE_ID })
  expectErrorInfo(anonymous, 401, 'UNAUTHENTICATED', /Authorization header is missing/)
  const readOnly = await tokenFor(simulator, ALICE, 'webrtc-registration:sessions:read')
  expectErrorInfo(
    await register(readOnly),
    403,
    'PERMISSION_DENIED',
    /lacks the scope webrtc-registration:sessions:create/,
  )
})
