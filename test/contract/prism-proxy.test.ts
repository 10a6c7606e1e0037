import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  PRISM_STARTUP_TIMEOUT_MS,
  expectNoViolation,
  startBehindPrism,
  stopPrism,
  viaPrism,
  type Answer,
  type ProxiedCallsim,
} from '../support/prism-proxy.js'
import { registerDevice } from '../support/register-device.js'
import { ALICE, BOB, advance } from '../support/start-simulator.js'

// An independent check of callsim's contract: Stoplight Prism (pinned 5.14.2) as a validating
// proxy in front of a running callsim (test/support/prism-proxy.ts).

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SPEC = path.join(ROOT, 'spec', 'camara', 'webrtc-call-handling.yaml')
const BASE = '/webrtc-call-handling/vwip'
const NEW_SESSION = {
  originatorAddress: ALICE,
  receiverAddress: BOB,
  offer: { sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n' },
}

const started: ProxiedCallsim[] = []
const directory = mkdtempSync(path.join(tmpdir(), 'callsim-prism-'))

let proxy: ProxiedCallsim
let canary: ProxiedCallsim

beforeAll(async () => {
  // The canary runs a non-strict callsim behind a spec stricter than what callsim sends, so a
  // violation must surface: it proves Prism's checks are live, not silently off.
  const projectSpec = readFileSync(SPEC, 'utf8')
  const stricterFile = path.join(directory, 'stricter.yaml')
  const stricter = projectSpec.replace(
    /(receiverName:\n\s+type: string\n\s+)maxLength: 256/,
    '$1maxLength: 2',
  )
  if (stricter === projectSpec)
    throw new Error(
      'prism-proxy.test.ts: the receiverName schema of the spec has changed; update the replacement',
    )
  writeFileSync(stricterFile, stricter)
  ;[proxy, canary] = await Promise.all([
    startBehindPrism(SPEC, { strict: true }, BASE),
    startBehindPrism(stricterFile, { strict: false }, BASE),
  ])
  started.push(proxy, canary)
}, PRISM_STARTUP_TIMEOUT_MS + 10_000)

afterAll(async () => {
  await Promise.all(started.splice(0).map(stopPrism))
  rmSync(directory, { recursive: true, force: true })
}, 20_000)

const clients = new Map<ProxiedCallsim, { token: string; registrationId: string }>()

/** Alice's token and device registration on one callsim, made once: a device registers once. */
async function aliceClient(target: ProxiedCallsim) {
  const known = clients.get(target)
  if (known) return known
  const token = (
    await target.simulator.control.issueToken({ sub: ALICE, expiresInMs: 24 * 3_600_000 })
  ).token
  const client = { token, registrationId: await registerDevice(target.simulator, ALICE) }
  clients.set(target, client)
  return client
}

test('passes Prism on every operation of an outgoing call: create, read, answer, hold, resume, hang up', async () => {
  const { token, registrationId } = await aliceClient(proxy)
  const created = await viaPrism(proxy, 'POST', '/sessions', {
    token,
    headers: { registrationId },
    body: NEW_SESSION,
  })
  expectNoViolation(created, 201)
  const id = String(created.body.mediaSessionId)
  expectNoViolation(await viaPrism(proxy, 'GET', `/sessions/${id}`, { token }), 200)
  advance(proxy.simulator, 5000)
  const connected = await viaPrism(proxy, 'GET', `/sessions/${id}`, { token })
  expectNoViolation(connected, 200)
  expect(connected.body.status).toBe('Connected')
  expect(connected.body.answer).toEqual({ sdp: expect.stringMatching(/^v=0\r\n/) })
  const held = await viaPrism(proxy, 'PUT', `/sessions/${id}/status`, {
    token,
    body: { status: 'Hold' },
  })
  expectNoViolation(held, 200)
  expect(held.body.status).toBe('Hold')
  expectNoViolation(
    await viaPrism(proxy, 'PUT', `/sessions/${id}/status`, { token, body: { status: 'Resume' } }),
    200,
  )
  const deleted = await viaPrism(proxy, 'DELETE', `/sessions/${id}`, { token })
  expectNoViolation(deleted, 204)
  expect(deleted.text).toBe('')
})

test('passes Prism on an incoming call answered with SDP and declined', async () => {
  const { token } = await aliceClient(proxy)
  const incoming = (): string =>
    proxy.simulator.network.offerIncomingCall({
      originator: { address: BOB },
      receiver: { address: ALICE },
      offer: NEW_SESSION.offer,
      owner: ALICE,
      scenarioId: 'default',
      lifecycle: { steps: [] },
    }).id
  const answered = incoming()
  expectNoViolation(await viaPrism(proxy, 'GET', `/sessions/${answered}`, { token }), 200)
  const answer = { sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }
  expectNoViolation(
    await viaPrism(proxy, 'PUT', `/sessions/${answered}/status`, {
      token,
      body: { status: 'InProgress', answer },
    }),
    200,
  )
  expectNoViolation(
    await viaPrism(proxy, 'PUT', `/sessions/${answered}/status`, {
      token,
      body: { status: 'Ringing' },
    }),
    200,
  )
  expectNoViolation(
    await viaPrism(proxy, 'PUT', `/sessions/${answered}/status`, {
      token,
      body: { status: 'Connected' },
    }),
    200,
  )
  expectNoViolation(await viaPrism(proxy, 'DELETE', `/sessions/${answered}`, { token }), 204)
  const declined = incoming()
  expectNoViolation(await viaPrism(proxy, 'DELETE', `/sessions/${declined}`, { token }), 204)
  expect(proxy.simulator.network.getCall(declined)?.status).toBe('Declined')
})

test('passes Prism on the declared errors callsim answers', async () => {
  const { token, registrationId } = await aliceClient(proxy)
  const created = await viaPrism(proxy, 'POST', '/sessions', {
    token,
    headers: { registrationId },
    body: NEW_SESSION,
  })
  const id = String(created.body.mediaSessionId)
  const expectError = (answer: Answer, status: number, code: string) => {
    expectNoViolation(answer, status)
    expect(answer.body).toMatchObject({ status, code })
  }
  // 400 for a change the status machine refuses, and for an unknown registration.
  expectError(
    await viaPrism(proxy, 'PUT', `/sessions/${id}/status`, { token, body: { status: 'Hold' } }),
    400,
    'INVALID_ARGUMENT',
  )
  expectError(
    await viaPrism(proxy, 'POST', '/sessions', {
      token,
      headers: { registrationId: 'unknown-registration' },
      body: NEW_SESSION,
    }),
    400,
    'INVALID_ARGUMENT',
  )
  // 401 for an expired token, 403 for a missing scope and for a foreign originator.
  const expiring = await proxy.simulator.control.issueToken({ sub: ALICE, expiresInMs: 1000 })
  advance(proxy.simulator, 1000)
  expectError(
    await viaPrism(proxy, 'GET', `/sessions/${id}`, { token: expiring.token }),
    401,
    'UNAUTHENTICATED',
  )
  const readOnly = await proxy.simulator.control.issueToken({
    sub: ALICE,
    scope: 'webrtc-call-handling:sessions:read',
  })
  expectError(
    await viaPrism(proxy, 'DELETE', `/sessions/${id}`, { token: readOnly.token }),
    403,
    'PERMISSION_DENIED',
  )
  expectError(
    await viaPrism(proxy, 'POST', '/sessions', {
      token,
      headers: { registrationId },
      body: { ...NEW_SESSION, originatorAddress: 'tel:+15559999' },
    }),
    403,
    'INVALID_TOKEN_CONTEXT',
  )
  // 404 for a session that does not exist or is not the caller's.
  expectError(await viaPrism(proxy, 'GET', '/sessions/0000DEAD', { token }), 404, 'NOT_FOUND')
  const bobsToken = (await proxy.simulator.control.issueToken({ sub: BOB })).token
  expectError(
    await viaPrism(proxy, 'DELETE', `/sessions/${id}`, { token: bobsToken }),
    404,
    'NOT_FOUND',
  )
})

test('would catch a violation: Prism flags callsim when the spec is stricter than its answers', async () => {
  const { token, registrationId } = await aliceClient(canary)
  const answer = await viaPrism(canary, 'POST', '/sessions', {
    token,
    headers: { registrationId },
    body: NEW_SESSION,
  })
  expect(answer.status).toBe(500)
  expect(answer.headers.get('content-type')).toMatch(/problem\+json/)
  const violations = JSON.parse(answer.headers.get('sl-violations') ?? '[]') as {
    location: string[]
    code: string
  }[]
  expect(violations).toEqual([
    expect.objectContaining({ location: ['response', 'body', 'receiverName'], code: 'maxLength' }),
  ])
})
