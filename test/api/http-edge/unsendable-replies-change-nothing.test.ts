import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, expect, test } from 'vitest'
import { parse } from 'yaml'
import { toAdminCall } from '../../../src/apis/admin/to-admin-call.js'
import { FACE_DEFINITIONS } from '../../../src/app/faces.js'
import { DEVICE_ID } from '../../support/register-device.js'
import { ALICE, BOB, advance, startSimulator, tokenFor } from '../../support/start-simulator.js'

/**
 * Issue 16, item 4: "a call exists only if its 201 could be sent". For every operation that
 * changes state, a copy of its face's spec declares a success body callsim cannot produce, so
 * strict mode turns the handler's success into a 500; the network must then be as before.
 */

const OFFER = {
  sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n',
}
const WEBSITE = 'sip:website@shop.example.com'
const SINK = 'https://127.0.0.1:1/events'
const folder = mkdtempSync(path.join(os.tmpdir(), 'callsim-unsendable-'))
afterAll(() => rmSync(folder, { recursive: true, force: true }))

/** A valid request for each operation that changes state, given the ids setup() made. */
type Ids = Record<'mediaSessionId' | 'registrationId' | 'subscriptionId' | 'sessionId', string>
const WRITES: Record<
  string,
  (ids: Ids) => {
    method: 'post' | 'put' | 'delete' | 'get'
    path: string
    body?: object
    headers?: Record<string, string>
  }
> = {
  createSession: (ids) => ({
    method: 'post',
    path: '/webrtc-call-handling/vwip/sessions',
    headers: { registrationid: ids.registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER },
  }),
  updateSessionStatus: (ids) => ({
    method: 'put',
    path: `/webrtc-call-handling/vwip/sessions/${ids.mediaSessionId}/status`,
    body: { status: 'Hold' },
  }),
  deleteSessionById: (ids) => ({
    method: 'delete',
    path: `/webrtc-call-handling/vwip/sessions/${ids.mediaSessionId}`,
  }),
  createRegistration: () => ({
    method: 'post',
    path: '/webrtc-registration/vwip/sessions',
    body: { deviceId: '0b9e1f52-1a2b-4c3d-8e4f-5a6b7c8d9e0f' },
  }),
  updateRegistrationById: (ids) => ({
    method: 'put',
    path: `/webrtc-registration/vwip/sessions/${ids.registrationId}`,
    body: {},
  }),
  deleteRegistrationById: (ids) => ({
    method: 'delete',
    path: `/webrtc-registration/vwip/sessions/${ids.registrationId}`,
  }),
  createNotificationChannelSubscription: () => ({
    method: 'post',
    path: '/webrtc-events/vwip/subscriptions',
    body: {
      protocol: 'HTTP',
      sink: `${SINK}/second`,
      types: ['org.camaraproject.webrtc-events.v0.session-status'],
      config: { subscriptionDetail: { deviceId: DEVICE_ID } },
    },
  }),
  updateNotificationChannelSubscription: (ids) => ({
    method: 'put',
    path: `/webrtc-events/vwip/subscriptions/${ids.subscriptionId}`,
    body: { config: { subscriptionExpireTime: '2025-01-02T00:00:00Z' } },
  }),
  deleteNotificationChannelSubscription: (ids) => ({
    method: 'delete',
    path: `/webrtc-events/vwip/subscriptions/${ids.subscriptionId}`,
  }),
  startCall: () => ({ method: 'post', path: '/call/2.0/sales/%2B15550009', body: {} }),
  startCallJsonp: () => ({ method: 'get', path: '/call/2.0/sales/%2B15550009/start?callback=f' }),
  endCall: (ids) => ({ method: 'delete', path: `/call/2.0/${ids.sessionId}` }),
  endCallJsonp: (ids) => ({ method: 'get', path: `/call/2.0/${ids.sessionId}/end?callback=f` }),
  startIncomingCall: () => ({
    method: 'post',
    path: '/_callsim/calls/incoming',
    body: { from: BOB, to: ALICE },
  }),
  activateScenarioGlobally: () => ({
    method: 'put',
    path: '/_callsim/activations/global',
    body: { scenarioId: 'busy-callee' },
  }),
  deactivateScenarioGlobally: () => ({ method: 'delete', path: '/_callsim/activations/global' }),
  activateScenarioForSubscriber: () => ({
    method: 'put',
    path: `/_callsim/activations/subscribers/${encodeURIComponent(BOB)}`,
    body: { scenarioId: 'no-answer' },
  }),
  deactivateScenarioForSubscriber: () => ({
    method: 'delete',
    path: `/_callsim/activations/subscribers/${encodeURIComponent(ALICE)}`,
  }),
}
/**
 * Writes left out. A token is signed, not stored. A reset and a clock advance cannot be taken
 * back once done (delivery retries are cancelled, or fired and sent), so their answers cannot
 * fail: a reset's is a bare 204, and an advance is refused before the clock moves if its
 * answer could not name the time (test/api/http-edge/fuzz-findings.test.ts).
 */
const LEFT_OUT = new Set(['createToken', 'resetSimulator', 'advanceClock'])

type SpecDocument = {
  paths: Record<string, Record<string, { operationId?: string; responses?: object }>>
}
/** Each built-in spec parsed once for the file; every copy breaks a clone of it. */
const builtInDocuments = new Map<string, SpecDocument>()
function builtInDocument(specFile: string): SpecDocument {
  let document = builtInDocuments.get(specFile)
  if (!document) {
    document = parse(readFileSync(specFile, 'utf8')) as SpecDocument
    builtInDocuments.set(specFile, document)
  }
  return structuredClone(document)
}

/** The writes setup() sends: a copy that breaks one of them breaks nothing else. */
const SENT_BY_SETUP = new Set([
  'createRegistration',
  'createNotificationChannelSubscription',
  'startCall',
])

/**
 * The face's built-in spec with every success of `operationId` declaring an impossible body;
 * and, unless setup() sends it, of the face's other writes that setup() does not send. Each test
 * sends only its own operation, so what it proves is the same; but the operations of a face
 * then share one copy, which is compiled once (the same bytes are not compiled again) where a
 * copy per operation cost ~0.2 s of CPU each, the bulk of this file.
 */
function specBreaking(operationId: string): { file: string; face: string } {
  for (const definition of FACE_DEFINITIONS) {
    const document = builtInDocument(definition.specFile)
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item))
    if (!operations.some((operation) => operation.operationId === operationId)) continue
    const broken = SENT_BY_SETUP.has(operationId)
      ? [operationId]
      : operations
          .map((operation) => operation.operationId ?? '')
          .filter((id) => id in WRITES && !SENT_BY_SETUP.has(id))
    for (const operation of operations) {
      if (!broken.includes(operation.operationId ?? '') || !operation.responses) continue
      for (const status of Object.keys(operation.responses))
        if (/^2/.test(status))
          (operation.responses as Record<string, object>)[status] = {
            description: 'a body no reply of callsim has',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['neverSent'] },
              },
            },
          }
    }
    // JSON is YAML too, and much quicker to write than YAML.
    const file = path.join(folder, `${broken.join('-')}.json`)
    writeFileSync(file, JSON.stringify(document, null, 1))
    return { file, face: definition.id }
  }
  throw new Error(`no spec declares ${operationId}`)
}

/**
 * A strict simulator with something in every kind of state: Alice's registered device and
 * event subscription, an incoming call she answered, a scheduled Click2Call call, a scenario
 * activation. A setup step through the operation under test fails (its spec is broken), so
 * its id falls back to one that names nothing. `state()` reads everything back.
 */
async function setup(specs: string[] = []) {
  const simulator = startSimulator({ specs })
  const http = request(simulator.app)
  const alice = { authorization: `Bearer ${await tokenFor(simulator, ALICE)}` }
  const website = { authorization: `Bearer ${await tokenFor(simulator, WEBSITE)}` }
  const idOf = (response: { status: number; body: unknown }, name: string) =>
    response.status < 300 ? String((response.body as Record<string, unknown>)[name]) : 'none'
  const registration = await http
    .post('/webrtc-registration/vwip/sessions')
    .set(alice)
    .send({ deviceId: DEVICE_ID })
  const subscription = await http
    .post('/webrtc-events/vwip/subscriptions')
    .set(alice)
    .send({ ...WRITES.createNotificationChannelSubscription!({} as Ids).body, sink: SINK })
  const c2c = await http.post('/call/2.0/sales/%2B15550009').set(website).send({ delay: 60 })
  simulator.control.activateScenario('declined', ALICE)
  simulator.control.activateScenario('proceeding')
  // An incoming call Alice answered: Connected, so that it can be put on hold.
  const incoming = simulator.control.startIncomingCall({ from: BOB, to: ALICE })
  const mediaSessionId = incoming.ok ? incoming.value.call.id : 'none'
  simulator.network.requestStatus(mediaSessionId, { status: 'InProgress', answer: OFFER })
  simulator.network.requestStatus(mediaSessionId, { status: 'Connected' })
  advance(simulator, 1000)
  await simulator.notifier.settled()
  const ids: Ids = {
    mediaSessionId,
    registrationId: idOf(registration, 'registrationId'),
    subscriptionId: idOf(subscription, 'id'),
    sessionId: idOf(c2c, 'sessionId'),
  }
  // The first poll marks the Click2Call call as seen; from then on a poll reads, not changes.
  await http.get(`/call/2.0/${ids.sessionId}/status`).set(website)
  const state = async () => ({
    calls: [...simulator.control.calls()].map(toAdminCall),
    activations: simulator.control.scenarioActivations(),
    clock: simulator.control.clock(),
    deliveries: simulator.control.deliveries(1000),
    registrations: (
      await http.get(`/webrtc-registration/vwip/sessions?deviceId=${DEVICE_ID}`).set(alice)
    ).body,
    subscriptions: (await http.get('/webrtc-events/vwip/subscriptions').set(alice)).body,
    session: (await http.get(`/call/2.0/${ids.sessionId}/status`).set(website)).body,
  })
  const auth = (operationId: string) => (/Call|Jsonp/.test(operationId) ? website : alice)
  return { simulator, http, ids, state, auth }
}

test('lists a valid request for every operation that may change state', async () => {
  const { simulator } = await setup()
  const writes = simulator.faces.flatMap((face) =>
    [...face.spec.operations.values()]
      .filter((operation) => operation.method !== 'GET' || /Jsonp$/.test(operation.operationId))
      .map((operation) => operation.operationId),
  )
  expect(writes.filter((id) => !(id in WRITES) && !LEFT_OUT.has(id))).toEqual([])
})

/** Sends the operation's valid request to a simulator made by setup(). */
async function sendWrite(operationId: string, context: Awaited<ReturnType<typeof setup>>) {
  const { http, ids, auth } = context
  const write = WRITES[operationId]!(ids)
  const bearer = auth(operationId)
  // A page's <script> sends its token in the URL (RFC 6750 §2.3) and no body.
  const response =
    write.method === 'get'
      ? await http.get(write.path).query({ access_token: bearer.authorization.slice(7) })
      : await http[write.method](write.path)
          .set(bearer)
          .set('content-type', 'application/json')
          .set(write.headers ?? {})
          .send(write.body ?? {})
  await context.simulator.notifier.settled()
  return response
}

for (const operationId of Object.keys(WRITES)) {
  test(`${operationId}: a success that cannot be sent answers 500 and changes nothing`, async () => {
    // With the spec as shipped, the request succeeds and changes something.
    const intact = await setup()
    const untouched = await intact.state()
    const succeeded = await sendWrite(operationId, intact)
    expect(succeeded.status, succeeded.text).toBeLessThan(300)
    expect(succeeded.text).not.toMatch(/statuscode/)
    expect(await intact.state()).not.toEqual(untouched)
    // With its success declared as a body callsim cannot produce, nothing changes.
    const broken = await setup([specBreaking(operationId).file])
    const before = await broken.state()
    const response = await sendWrite(operationId, broken)
    // JSONP pages get their failure as a 200 script; everyone else the face's 500.
    const failure = /Jsonp$/.test(operationId) ? response.text : JSON.stringify(response.body)
    if (!/Jsonp$/.test(operationId)) expect(response.status, failure).toBe(500)
    expect(failure).toMatch(/broke its own contract/)
    expect(await broken.state()).toEqual(before)
  }, 30_000)
}
