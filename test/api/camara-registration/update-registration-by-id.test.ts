import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, tokenFor } from '../../support/start-simulator.js'
import { DEFAULT_EXPIRY, setup } from './setup.js'

test('refreshes a registration for the default TTL counted from the request', async () => {
  const { simulator, register, refresh, get } = await setup()
  const id = (await register()).body.registrationId as string
  simulator.control.advanceClock(50 * 60_000)
  const response = await refresh(id)
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('reg-test-1')
  expect(response.body).toEqual({
    registrationId: id,
    regInfo: { phoneNumber: '+15550001', regStatus: 'Registered' },
    expiresAt: '2025-01-01T01:50:00.000Z',
  })
  // The original expiry passes; the refreshed registration lives on until its new one.
  simulator.control.advanceClock(59 * 60_000)
  expect((await get(id)).status).toBe(200)
  simulator.control.advanceClock(60_000)
  expect((await get(id)).status).toBe(404)
})

test('applies a requested expiry and caps one beyond 24 hours', async () => {
  const { register, refresh } = await setup()
  const id = (await register()).body.registrationId as string
  expect(
    (await refresh(id, undefined, { registrationExpireTime: '2025-01-01T03:00:00Z' })).body
      .expiresAt,
  ).toBe('2025-01-01T03:00:00.000Z')
  expect(
    (await refresh(id, undefined, { registrationExpireTime: '2026-01-01T00:00:00Z' })).body
      .expiresAt,
  ).toBe('2025-01-02T00:00:00.000Z')
})

test('answers 400 OUT_OF_RANGE for an expiry below the minimum and keeps the old expiry', async () => {
  const { register, refresh, get } = await setup()
  const id = (await register()).body.registrationId as string
  const response = await refresh(id, undefined, { registrationExpireTime: '2024-12-31T23:00:00Z' })
  expectErrorInfo(
    response,
    400,
    'OUT_OF_RANGE',
    /registrationExpireTime 2024-12-31T23:00:00\.000Z is before the earliest allowed expiry/,
  )
  expect((await get(id)).body.expiresAt).toBe(DEFAULT_EXPIRY)
})

test('answers 400 INVALID_ARGUMENT for an expiry that is not a date-time', async () => {
  const { register, refresh } = await setup()
  const id = (await register()).body.registrationId as string
  expectErrorInfo(
    await refresh(id, undefined, { registrationExpireTime: 'tomorrow' }),
    400,
    'INVALID_ARGUMENT',
    /registrationExpireTime/,
  )
})

test('answers 404 for another subscriber’s registration and leaves it unchanged', async () => {
  const { simulator, register, refresh, get, tokens } = await setup()
  const id = (await register()).body.registrationId as string
  simulator.control.advanceClock(30 * 60_000)
  expectErrorInfo(await refresh(id, tokens.bob), 404, 'NOT_FOUND', /no active registration/)
  expect((await get(id)).body.expiresAt).toBe(DEFAULT_EXPIRY)
})

test('answers 404 for a registration that already expired', async () => {
  const { simulator, register, refresh } = await setup()
  const id = (await register()).body.registrationId as string
  simulator.control.advanceClock(3_600_000)
  expectErrorInfo(await refresh(id), 404, 'NOT_FOUND', /expired at 2025-01-01T01:00:00\.000Z/)
})

test('answers 403 PERMISSION_DENIED naming the write scope', async () => {
  const { simulator, register, refresh } = await setup()
  const id = (await register()).body.registrationId as string
  const token = await tokenFor(
    simulator,
    ALICE,
    'webrtc-registration:sessions:read webrtc-registration:sessions:create',
  )
  expectErrorInfo(
    await refresh(id, token),
    403,
    'PERMISSION_DENIED',
    /lacks the scope webrtc-registration:sessions:write/,
  )
})
