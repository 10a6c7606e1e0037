import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE } from '../../support/start-simulator.js'
import { CALLS, REGISTRATIONS, setup } from './setup.js'

/** Every secured CAMARA operation with the scope its spec's `security` names (docs/auth.md). */
const OPERATIONS = [
  ['createSession', 'post', `${CALLS}/sessions`, 'webrtc-call-handling:sessions:create'],
  ['getSessionDetailsById', 'get', `${CALLS}/sessions/ABC`, 'webrtc-call-handling:sessions:read'],
  [
    'updateSessionStatus',
    'put',
    `${CALLS}/sessions/ABC/status`,
    'webrtc-call-handling:sessions:write',
  ],
  ['deleteSessionById', 'delete', `${CALLS}/sessions/ABC`, 'webrtc-call-handling:sessions:delete'],
  [
    'getRegistrationsByDeviceId',
    'get',
    `${REGISTRATIONS}/sessions?deviceId=4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11`,
    'webrtc-registration:sessions:read',
  ],
  [
    'createRegistration',
    'post',
    `${REGISTRATIONS}/sessions`,
    'webrtc-registration:sessions:create',
  ],
  [
    'getRegistrationById',
    'get',
    `${REGISTRATIONS}/sessions/abc`,
    'webrtc-registration:sessions:read',
  ],
  [
    'updateRegistrationById',
    'put',
    `${REGISTRATIONS}/sessions/abc`,
    'webrtc-registration:sessions:write',
  ],
  [
    'deleteRegistrationById',
    'delete',
    `${REGISTRATIONS}/sessions/abc`,
    'webrtc-registration:sessions:delete',
  ],
] as const

const temporaryDirs: string[] = []
afterEach(() => {
  for (const dir of temporaryDirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test('the table matches the scopes the mounted specs declare', async () => {
  const { simulator } = await setup()
  const declared = simulator.faces
    .filter((face) => face.id === 'camara-call-handling' || face.id === 'camara-registration')
    .flatMap((face) =>
      [...face.spec.operations.values()].map((op) => [
        op.operationId,
        op.security.flatMap((s) => s.scopes).join(' '),
      ]),
    )
  expect(Object.fromEntries(declared)).toEqual(
    Object.fromEntries(OPERATIONS.map(([id, , , scope]) => [id, scope])),
  )
})

test('answers 403 PERMISSION_DENIED naming the missing scope on every CAMARA operation', async () => {
  const { simulator, http, dayToken } = await setup()
  for (const [operationId, method, url, scope] of OPERATIONS) {
    const everyOtherScope = simulator.allScopes.filter((s) => s !== scope).join(' ')
    const response = await http[method](url)
      .set({
        authorization: `Bearer ${await dayToken(ALICE, everyOtherScope)}`,
        'x-correlator': `denied-${operationId}`,
      })
      .send(method === 'post' || method === 'put' ? {} : undefined)
    expectErrorInfo(response, 403, 'PERMISSION_DENIED')
    expect(response.body.message, operationId).toBe(
      `Client does not have sufficient permissions to perform this action: the token lacks the scope ${scope}.`,
    )
    expect(response.headers['x-correlator']).toBe(`denied-${operationId}`)
  }
})

test('answers 403 for a token without any scope claim', async () => {
  const { http, dayToken } = await setup()
  const response = await http
    .get(`${CALLS}/sessions/ABC`)
    .set('authorization', `Bearer ${await dayToken(ALICE, '')}`)
  expectErrorInfo(
    response,
    403,
    'PERMISSION_DENIED',
    /lacks the scope webrtc-call-handling:sessions:read\.$/,
  )
})

test('reads scopes from the served spec, so a spec with other scopes is enforced with those', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-scopes-'))
  temporaryDirs.push(dir)
  const file = path.join(dir, 'webrtc-registration.yaml')
  const original = readFileSync(path.resolve('spec/camara/webrtc-registration.yaml'), 'utf8')
  writeFileSync(
    file,
    original.replaceAll('webrtc-registration:sessions:read', 'acme-registration:read'),
  )
  const { http, dayToken } = await setup({ specs: [file] })
  const builtInScope = await dayToken(ALICE, 'webrtc-registration:sessions:read')
  const url = `${REGISTRATIONS}/sessions/abc`
  expectErrorInfo(
    await http.get(url).set('authorization', `Bearer ${builtInScope}`),
    403,
    'PERMISSION_DENIED',
    /lacks the scope acme-registration:read\.$/,
  )
  const renamedScope = await dayToken(ALICE, 'acme-registration:read')
  expectErrorInfo(
    await http.get(url).set('authorization', `Bearer ${renamedScope}`),
    404,
    'NOT_FOUND',
  )
})
