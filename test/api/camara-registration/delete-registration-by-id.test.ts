import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { DEVICE_ID, setup } from './setup.js'

test('deletes a registration: 204 without a body, then 404 saying it was deleted', async () => {
  const { simulator, register, remove, get, list } = await setup()
  const id = (await register()).body.registrationId as string
  simulator.control.advanceClock(10_000)
  const response = await remove(id)
  expect(response.status).toBe(204)
  expect(response.headers['content-type']).toBeUndefined()
  expect(response.headers['x-correlator']).toBe('reg-test-1')
  expect(response.text).toBe('')
  expectErrorInfo(
    await get(id),
    404,
    'NOT_FOUND',
    /registration .* was deleted at 2025-01-01T00:00:10\.000Z/,
  )
  expect((await list(DEVICE_ID)).body).toEqual([])
  expectErrorInfo(await remove(id), 404, 'NOT_FOUND', /was deleted/)
})

test('lets the device register again after deleting', async () => {
  const { register, remove } = await setup()
  const first = (await register()).body.registrationId as string
  expect((await remove(first)).status).toBe(204)
  const second = await register()
  expect(second.status).toBe(201)
  expect(second.body.registrationId).not.toBe(first)
})

test('answers 404 for another subscriber’s registration and keeps it active', async () => {
  const { register, remove, get, tokens } = await setup()
  const id = (await register()).body.registrationId as string
  expectErrorInfo(await remove(id, tokens.bob), 404, 'NOT_FOUND', /no active registration/)
  expect((await get(id)).status).toBe(200)
})

test('cancels the expiry task of a deleted registration', async () => {
  const { simulator, register, remove } = await setup()
  const pendingBefore = simulator.control.clock().pendingTasks
  const id = (await register()).body.registrationId as string
  expect(simulator.control.clock().pendingTasks).toBe(pendingBefore + 1)
  await remove(id)
  expect(simulator.control.clock().pendingTasks).toBe(pendingBefore)
})
