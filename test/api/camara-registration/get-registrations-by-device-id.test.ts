import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { DEVICE_ID, OTHER_DEVICE_ID, setup } from './setup.js'

test('lists the caller’s active registrations of a device', async () => {
  const { register, list } = await setup()
  const registered = await register()
  const response = await list(DEVICE_ID)
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('reg-test-1')
  expect(response.body).toEqual([registered.body])
})

test('answers an empty list for a device without registrations', async () => {
  const { register, list } = await setup()
  await register()
  const response = await list(OTHER_DEVICE_ID)
  expect(response.status).toBe(200)
  expect(response.body).toEqual([])
})

test('never lists another subscriber’s registration of the same device', async () => {
  const { register, list, tokens } = await setup()
  const alice = await register()
  const bob = await register(tokens.bob)
  expect((await list(DEVICE_ID)).body).toEqual([alice.body])
  expect((await list(DEVICE_ID, tokens.bob)).body).toEqual([bob.body])
})

test('drops a registration from the list once it expires on the clock', async () => {
  const { simulator, register, list } = await setup()
  await register()
  simulator.control.advanceClock(3_600_000)
  expect((await list(DEVICE_ID)).body).toEqual([])
})

test('answers 400 INVALID_ARGUMENT for a missing or malformed deviceId', async () => {
  const { http, list, tokens } = await setup()
  const missing = await http
    .get('/webrtc-registration/vwip/sessions')
    .set('authorization', `Bearer ${tokens.alice}`)
  expectErrorInfo(missing, 400, 'INVALID_ARGUMENT', /deviceId/)
  expectErrorInfo(await list('not-a-uuid'), 400, 'INVALID_ARGUMENT', /deviceId.*uuid/)
})
