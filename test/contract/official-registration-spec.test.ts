import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { expectErrorInfo } from '../support/expect-error-info.js'
import { DEVICE_ID, setup } from '../api/camara-registration/setup.js'

/** An unchanged copy of the official CAMARA WebRTC Registration definition (Apache-2.0). */
const OFFICIAL_REGISTRATION_FILE = fileURLToPath(
  new URL('./fixtures/webrtc-registration.yaml', import.meta.url),
)

test('serves the official registration spec unchanged, with every response inside its contract', async () => {
  const { simulator, register, list, get, refresh, remove, tokens } = await setup({
    specs: [OFFICIAL_REGISTRATION_FILE],
  })
  const face = simulator.faces.find((candidate) => candidate.id === 'camara-registration')
  expect(face?.spec.spec.source).toMatch(/fixtures[\\/]webrtc-registration\.yaml$/)

  const created = await register()
  expect(created.status).toBe(201)
  const id = created.body.registrationId as string
  expect((await list(DEVICE_ID)).body).toEqual([created.body])
  expect((await get(id)).status).toBe(200)
  expect(
    (await refresh(id, undefined, { registrationExpireTime: '2025-01-01T02:00:00Z' })).body
      .expiresAt,
  ).toBe('2025-01-01T02:00:00.000Z')
  expectErrorInfo(await register(), 409, 'ALREADY_EXISTS')
  expectErrorInfo(
    await refresh(id, undefined, { registrationExpireTime: '2025-01-01T00:00:10Z' }),
    400,
    'OUT_OF_RANGE',
  )
  expectErrorInfo(await get(id, tokens.bob), 404, 'NOT_FOUND')
  expect((await remove(id)).status).toBe(204)
  expectErrorInfo(await remove(id), 404, 'NOT_FOUND')
  // Strict mode turns any response outside the official contract into a 500 and a violation.
  expect(simulator.control.violations().total).toBe(0)
})
