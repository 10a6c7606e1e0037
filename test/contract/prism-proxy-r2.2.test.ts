import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import request from 'supertest'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  PRISM_STARTUP_TIMEOUT_MS,
  expectNoViolation,
  startBehindPrism,
  stopPrism,
  viaPrism,
  type ProxiedCallsim,
} from '../support/prism-proxy.js'
import { ALICE, BOB, advance } from '../support/start-simulator.js'

// Prism 5.14 `proxy --errors` in front of callsim serving the official r2.2 files unchanged:
// an independent judge of callsim's answers against a release other than the development state.

const release = (file: string) =>
  fileURLToPath(new URL(`../../spec/releases/r2.2/${file}`, import.meta.url))
const CALL_HANDLING = release('webrtc-call-handling.yaml')
const REGISTRATION = release('webrtc-registration.yaml')
const OFFER = { sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n' }

let calls: ProxiedCallsim
let registrations: ProxiedCallsim

beforeAll(async () => {
  const options = {
    strict: true,
    specs: [CALL_HANDLING, REGISTRATION, release('webrtc-events.yaml')],
  }
  ;[calls, registrations] = await Promise.all([
    startBehindPrism(CALL_HANDLING, options, '/webrtc-call-handling/v0.3'),
    startBehindPrism(REGISTRATION, options, '/webrtc-registration/v0.3'),
  ])
}, PRISM_STARTUP_TIMEOUT_MS + 10_000)

afterAll(async () => {
  await Promise.all([calls, registrations].filter(Boolean).map(stopPrism))
}, 20_000)

test('shows Prism reading r2.2’s `pattern: uuid` literally: it refuses a UUID deviceId, the defect callsim repairs', async () => {
  const token = (await registrations.simulator.control.issueToken({ sub: ALICE })).token
  const registered = await viaPrism(registrations, 'POST', '/sessions', {
    token,
    body: { deviceId: randomUUID() },
  })
  // Prism answers for callsim here: the request never reaches it (docs/spec-defects.md).
  expect(registered.status).toBe(422)
  expect(registered.text).toContain('Request body property deviceId must match pattern \\"uuid\\"')
})

test('passes Prism on an r2.2 call: create, read, hold, resume, hang up, and its errors', async () => {
  const { simulator } = calls
  const token = (await simulator.control.issueToken({ sub: ALICE, expiresInMs: 86_400_000 })).token
  // r2.2 registers at /webrtc-registration/v0.3 and answers 200.
  const registered = await request(simulator.app)
    .post('/webrtc-registration/v0.3/sessions')
    .set('authorization', `Bearer ${token}`)
    .send({ deviceId: randomUUID() })
  expect(registered.status).toBe(200)
  const registrationId = String(registered.body.registrationId)
  const created = await viaPrism(calls, 'POST', '/sessions', {
    token,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER },
  })
  expectNoViolation(created, 201)
  const id = String(created.body.mediaSessionId)
  advance(simulator, 5000)
  const read = await viaPrism(calls, 'GET', `/sessions/${id}`, { token })
  expectNoViolation(read, 200)
  expect(read.body.status).toBe('Connected')
  for (const status of ['Hold', 'Resume'])
    expectNoViolation(
      await viaPrism(calls, 'PUT', `/sessions/${id}/status`, { token, body: { status } }),
      200,
    )
  expectNoViolation(await viaPrism(calls, 'DELETE', `/sessions/${id}`, { token }), 204)
  const refused = await viaPrism(calls, 'PUT', `/sessions/${id}/status`, {
    token,
    body: { status: 'Hold' },
  })
  expectNoViolation(refused, 400)
  expect(refused.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' })
  expectNoViolation(await viaPrism(calls, 'GET', '/sessions/UNKNOWN', { token }), 404)
})
