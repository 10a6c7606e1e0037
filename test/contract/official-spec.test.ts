import { readFileSync } from 'node:fs'
import path from 'node:path'
import request from 'supertest'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import type { Simulator } from '../../src/app/index.js'
import {
  checkAgainstOfficialSpec,
  loadOfficialCallHandlingSpec,
  OFFICIAL_CALL_HANDLING_FILE,
} from '../support/official-spec.js'
import { recordResponses, type RecordedExchange } from '../support/record-responses.js'
import { registerDevice } from '../support/register-device.js'
import { ALICE, startSimulator } from '../support/start-simulator.js'

const BASE = '/webrtc-call-handling/vwip'
const PROJECT_SPEC = new URL('../../spec/camara/webrtc-call-handling.yaml', import.meta.url)
const NEW_SESSION = {
  originatorAddress: ALICE,
  receiverAddress: 'tel:+15550002',
  offer: { sdp: 'v=0\r\n' },
}

function callHandlingFace(simulator: Simulator) {
  const face = simulator.faces.find((candidate) => candidate.id === 'camara-call-handling')
  if (!face) throw new Error('no call handling face mounted')
  return face
}

/**
 * A representative client session, happy path and declared errors, recorded byte for byte:
 * create, read, the lifecycle on the clock, hold, an illegal change, hang-up, and bad input.
 */
async function playSession(simulator: Simulator): Promise<RecordedExchange[]> {
  const recorder = recordResponses(simulator.app)
  const http = request(recorder.app)
  const token = (await simulator.control.issueToken({ sub: ALICE })).token
  const auth = { authorization: `Bearer ${token}`, 'x-correlator': 'official-1' }
  const registrationId = await registerDevice(simulator, ALICE)
  const created = await http
    .post(`${BASE}/sessions`)
    .set(auth)
    .set('registrationId', registrationId)
    .send(NEW_SESSION)
  const id = created.body.mediaSessionId as string
  await http.get(`${BASE}/sessions/${id}`).set(auth)
  await http.post('/_callsim/clock').send({ advance: '5s' })
  await http.get(`${BASE}/sessions/${id}`).set(auth)
  await http.put(`${BASE}/sessions/${id}/status`).set(auth).send({ status: 'Hold' })
  await http.put(`${BASE}/sessions/${id}/status`).set(auth).send({ status: 'Hold' })
  await http
    .put(`${BASE}/sessions/${id}/status`)
    .set(auth)
    .send({ status: 'Resume', offer: { sdp: 'v=0\r\n' } })
  await http.delete(`${BASE}/sessions/${id}`).set(auth)
  await http.delete(`${BASE}/sessions/${id}`).set(auth)
  await http.get(`${BASE}/sessions/DOES-NOT-EXIST`).set(auth)
  await http.get(`${BASE}/sessions/${'A'.repeat(300)}`).set(auth)
  await http
    .post(`${BASE}/sessions`)
    .set(auth)
    .set('registrationId', registrationId)
    .send({ ...NEW_SESSION, receiverAddress: 'bob' })
  await http.post(`${BASE}/sessions`).set(auth).send(NEW_SESSION)
  await http.post(`${BASE}/sessions`).set('registrationId', registrationId).send(NEW_SESSION)
  await http
    .post(`${BASE}/sessions`)
    .set(auth)
    .set('registrationId', registrationId)
    .send({ ...NEW_SESSION, originatorAddress: 'tel:+15559999' })
  simulator.dispose()
  return recorder.exchanges.filter((exchange) => exchange.url.startsWith(BASE))
}

test('mounts the official file, given as --spec, at the path of its servers URL', () => {
  const simulator = startSimulator({ specs: [OFFICIAL_CALL_HANDLING_FILE] })
  const face = callHandlingFace(simulator)
  expect(face.basePath).toBe('/webrtc-call-handling/vwip')
  expect(path.normalize(face.spec.spec.source)).toMatch(
    /test[/\\]contract[/\\]fixtures[/\\]webrtc-call-handling\.yaml$/,
  )
  expect([...face.spec.operations.keys()].sort()).toEqual([
    'createSession',
    'deleteSessionById',
    'getSessionDetailsById',
    'updateSessionStatus',
  ])
  simulator.dispose()
})

test('behaves the same with the official file as with the built-in spec, byte for byte', async () => {
  const builtIn = await playSession(startSimulator())
  const official = await playSession(startSimulator({ specs: [OFFICIAL_CALL_HANDLING_FILE] }))
  expect(
    official.map((exchange) => `${exchange.method} ${exchange.status} ${exchange.body}`),
  ).toEqual(builtIn.map((exchange) => `${exchange.method} ${exchange.status} ${exchange.body}`))
  expect(builtIn.map((exchange) => exchange.status)).toEqual([
    201, 200, 200, 200, 400, 200, 204, 400, 404, 400, 400, 400, 401, 403,
  ])
})

test('produces responses that conform to the official reference schemas', async () => {
  const exchanges = await playSession(startSimulator())
  const { checked, violations } = checkAgainstOfficialSpec(exchanges)
  expect(violations).toEqual([])
  expect(checked).toBe(exchanges.length)
})

test('reports a response that breaks the official schema, so the API suites can fail', () => {
  const { checked, violations } = checkAgainstOfficialSpec([
    {
      method: 'GET',
      url: `${BASE}/sessions/ABC`,
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        mediaSessionId: 'ABC',
        originatorAddress: ALICE,
        receiverAddress: 'bob',
        status: 'Dialling',
        offer: {},
      }),
    },
    {
      method: 'GET',
      url: `${BASE}/sessions/ABC`,
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"status":500,"code":"INTERNAL","message":"x"}',
    },
  ])
  expect(checked).toBe(2)
  expect(violations).toEqual([
    'GET /webrtc-call-handling/vwip/sessions/ABC → 200: body.receiverAddress: receiverAddress does not match the format the spec requires (pattern)',
    expect.stringMatching(
      /^GET \/webrtc-call-handling\/vwip\/sessions\/ABC → 200: body\.status: status must be one of: "Initial"/,
    ),
    'GET /webrtc-call-handling/vwip/sessions/ABC → 500: status: status 500 is not declared for getSessionDetailsById (declared: 200, 400, 401, 403, 404)',
  ])
})

test('keeps the project spec contract-equivalent to the official file: same paths, parameters, schemas and responses', () => {
  // Prose may differ; anything a validator or a client reads must not.
  const ANNOTATIONS = new Set([
    'description',
    'summary',
    'example',
    'examples',
    'tags',
    'externalDocs',
    'title',
  ])
  const contractOf = (text: string): unknown => {
    const strip = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(strip)
      if (typeof value !== 'object' || value === null) return value
      return Object.fromEntries(
        Object.entries(value)
          .filter(([key]) => !ANNOTATIONS.has(key))
          .map(([key, child]) => [key, strip(child)]),
      )
    }
    const document = parse(text) as { paths: unknown; components: unknown; servers: unknown }
    return strip({
      paths: document.paths,
      components: document.components,
      servers: document.servers,
    })
  }
  const project = contractOf(readFileSync(PROJECT_SPEC, 'utf8'))
  const official = contractOf(readFileSync(OFFICIAL_CALL_HANDLING_FILE, 'utf8'))
  expect(project).toEqual(official)
  expect(JSON.stringify(project)).toContain('"pattern":"^(tel:\\\\+[1-9][0-9]{4,14}')
})

test('loads the official file with no problem and compiles every declared response', () => {
  const spec = loadOfficialCallHandlingSpec()
  expect(spec.spec.dialect).toBe('3.0')
  expect([...(spec.operations.get('createSession')?.responses.keys() ?? [])]).toEqual([
    '201',
    '400',
    '401',
    '403',
    '501',
  ])
  expect([...(spec.operations.get('updateSessionStatus')?.responses.keys() ?? [])]).toEqual([
    '200',
    '204',
    '400',
    '401',
    '403',
    '404',
  ])
})
