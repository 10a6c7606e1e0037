import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, startSimulator, tokenFor } from '../../support/start-simulator.js'
import { BASE, NEW_SESSION } from './setup.js'

// A spec stricter than what callsim sends: the callee's generated display name (a first name)
// is longer than two characters, so every createSession response breaks this contract.
const directory = mkdtempSync(path.join(tmpdir(), 'callsim-strict-'))
const STRICTER_SPEC = path.join(directory, 'webrtc-call-handling.yaml')
const projectSpec = readFileSync(
  new URL('../../../spec/camara/webrtc-call-handling.yaml', import.meta.url),
  'utf8',
)
const stricter = projectSpec.replace(
  /(receiverName:\n\s+type: string\n\s+)maxLength: 256/,
  '$1maxLength: 2',
)
if (stricter === projectSpec)
  throw new Error(
    'strict-mode.test.ts: the receiverName schema of the spec has changed; update the replacement',
  )
writeFileSync(STRICTER_SPEC, stricter)

afterAll(() => rmSync(directory, { recursive: true, force: true }))

async function setup(strict: boolean) {
  const simulator = startSimulator({ strict, specs: [STRICTER_SPEC] })
  const registrationId = await registerDevice(simulator, ALICE)
  const http = request(simulator.app)
  const create = async () =>
    http
      .post(`${BASE}/sessions`)
      .set({
        authorization: `Bearer ${await tokenFor(simulator, ALICE)}`,
        registrationId,
        'x-correlator': 'strict-1',
      })
      .send(NEW_SESSION)
  return { simulator, http, create }
}

test('answers 500 INTERNAL in strict mode instead of a response that breaks the spec', async () => {
  const { create } = await setup(true)
  const response = await create()
  expectErrorInfo(
    response,
    500,
    'INTERNAL',
    /^callsim broke its own contract for createSession \(201\): body\.receiverName: receiverName must be at most 2 characters long \(maxLength\)$/,
  )
  expect(response.headers['x-callsim-violations']).toBe('1')
  expect(response.headers['x-correlator']).toBe('strict-1')
})

test('serves the violation at /_callsim/violations with operation, status and JSON path', async () => {
  const { create, http } = await setup(true)
  await create()
  const violations = await http.get('/_callsim/violations')
  expect(violations.status).toBe(200)
  expect(violations.body).toEqual({
    total: 1,
    violations: [
      {
        direction: 'response',
        operationId: 'createSession',
        status: 201,
        location: 'body',
        path: 'body.receiverName',
        keyword: 'maxLength',
        message: 'receiverName must be at most 2 characters long (maxLength)',
        at: '2025-01-01T00:00:00.000Z',
      },
    ],
  })
  const journal = await http.get('/_callsim/journal')
  const entry = journal.body.entries.at(-2)
  expect(entry).toMatchObject({
    operationId: 'createSession',
    status: 500,
    responseViolations: [{ path: 'body.receiverName' }],
  })
})

test('sends the response anyway without --strict, flagged and counted', async () => {
  const { create, http } = await setup(false)
  const response = await create()
  expect(response.status).toBe(201)
  expect(response.headers['x-callsim-violations']).toBe('1')
  expect(response.body.receiverName.length).toBeGreaterThan(2)
  expect((await http.get('/_callsim/violations')).body.total).toBe(1)
})

test('does not count a client’s bad request as callsim’s violation', async () => {
  const { http, simulator } = await setup(true)
  const response = await http
    .post(`${BASE}/sessions`)
    .set('authorization', `Bearer ${await tokenFor(simulator, ALICE)}`)
    .send({})
  expect(response.status).toBe(400)
  expect((await http.get('/_callsim/violations')).body).toEqual({ total: 0, violations: [] })
})
