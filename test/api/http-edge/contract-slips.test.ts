import request from 'supertest'
import { expect, test } from 'vitest'
import { validateResponse } from '../../../src/contract/index.js'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, startSimulator, tokenFor } from '../../support/start-simulator.js'

async function setup() {
  const simulator = startSimulator()
  const http = request(simulator.app)
  const sbcAdmin = await tokenFor(simulator, 'sip:noc@telecomx.example.com', 'sbc:sessions:read', {
    accessLevel: 'ADMIN',
  })
  const admin = simulator.faces.find((face) => face.id === 'admin')
  if (!admin) throw new Error('no admin face')
  return { simulator, http, sbcAdmin, admin }
}

test('answers 400 to query numbers out of range, on the SBC face and the control API', async () => {
  const { http, sbcAdmin, simulator } = await setup()
  // The reproduction of issue 16: this answered 200 with "offset":null.
  const sbc = await http.get('/sbc/session?offset=1e400').set('authorization', `Bearer ${sbcAdmin}`)
  expect(sbc.status).toBe(400)
  expect(sbc.headers['content-type']).toMatch(/^application\/json/)
  expect(sbc.text).toMatch(/offset/)
  expectErrorInfo(await http.get('/_callsim/journal?limit=1e400'), 400, 'OUT_OF_RANGE', /limit/)
  expectErrorInfo(await http.get('/_callsim/journal?limit=-1e400'), 400, 'OUT_OF_RANGE', /limit/)
  expect(simulator.journal.violations.total).toBe(0)
})

test('flags a response whose number is not finite, which JSON would write as null', async () => {
  const { admin } = await setup()
  const listJournal = admin.spec.operations.get('listJournal')
  if (!listJournal) throw new Error('no listJournal')
  const check = (total: number) =>
    validateResponse(listJournal, {
      status: 200,
      contentType: 'application/json',
      body: { total, entries: [] },
      headers: {},
    })
  expect(check(3)).toEqual([])
  expect(check(Number.POSITIVE_INFINITY)).toMatchObject([{ path: 'body.total', keyword: 'type' }])
  expect(check(Number.NaN)).toMatchObject([{ path: 'body.total', keyword: 'type' }])
})

test('answers a declared 400 for control ids over their length limit', async () => {
  // Strict mode turns an undeclared status into a 500, so a 400 here is a declared one.
  const { http } = await setup()
  const long = 'x'.repeat(300)
  expectErrorInfo(await http.get(`/_callsim/calls/${long}`), 400, 'OUT_OF_RANGE')
  expectErrorInfo(await http.get(`/_callsim/scenarios/${long}`), 400, 'OUT_OF_RANGE')
  expectErrorInfo(
    await http
      .delete(`/_callsim/activations/subscribers/tel:${long}`)
      .set('content-type', 'application/json'),
    400,
    'OUT_OF_RANGE',
  )
})

test('declares every status the control API answers: 400, 401 and 403 everywhere, 415 on writes', async () => {
  const { admin } = await setup()
  for (const operation of admin.spec.operations.values()) {
    const declared = [...operation.responses.keys()]
    expect(declared, operation.operationId).toEqual(expect.arrayContaining(['400', '401', '403']))
    if (operation.method.toUpperCase() !== 'GET')
      expect(declared, operation.operationId).toContain('415')
  }
})

test('answers HEAD wherever GET works, with the headers and no body, and lists HEAD in Allow', async () => {
  const { http, simulator } = await setup()
  const token = await tokenFor(simulator, ALICE)
  const clock = await http.head('/_callsim/clock')
  expect(clock.status).toBe(200)
  expect(clock.headers['content-type']).toMatch(/^application\/json/)
  expect(clock.text ?? '').toBe('')
  const missing = await http
    .head('/webrtc-call-handling/vwip/sessions/UNKNOWN')
    .set('authorization', `Bearer ${token}`)
    .set('x-correlator', 'head-1')
  expect(missing.status).toBe(404)
  expect(missing.headers['x-correlator']).toBe('head-1')
  const refused = await http.put('/_callsim/clock').set('content-type', 'application/json')
  expect(refused.status).toBe(405)
  expect(refused.headers.allow).toBe('GET, POST, HEAD')
  expect(simulator.journal.violations.total).toBe(0)
})
