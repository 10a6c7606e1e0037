import request from 'supertest'
import { expect, test } from 'vitest'
import { toAdminCall } from '../../../src/apis/admin/to-admin-call.js'
import { MAX_JSON_DEPTH } from '../../../src/contract/index.js'
import { DEVICE_ID, registerDevice } from '../../support/register-device.js'
import { ALICE, BOB, startSimulator, tokenFor } from '../../support/start-simulator.js'

/** `{"offer":{"a":{"a":…1…}}}`, nested `depth` levels below `offer`. */
const nested = (property: string, depth: number) =>
  `{"${property}":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`

const OFFER = {
  sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n',
}

/**
 * A strict simulator with something in every kind of state: Alice's registered device, a call
 * she placed, a Click2Call call, a scenario activation. `state()` reads all of it back.
 */
async function setup() {
  const simulator = startSimulator()
  const http = request(simulator.app)
  const token = await tokenFor(simulator, ALICE)
  const registrationId = await registerDevice(simulator, ALICE)
  const auth = { authorization: `Bearer ${token}` }
  const call = await http
    .post('/webrtc-call-handling/vwip/sessions')
    .set(auth)
    .set('registrationId', registrationId)
    .send({ originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER })
  expect(call.status).toBe(201)
  const website = await tokenFor(simulator, 'sip:website@shop.example.com')
  const c2c = await http
    .post('/call/2.0/sales/%2B15550009')
    .set('authorization', `Bearer ${website}`)
  expect(c2c.status).toBe(200)
  simulator.control.activateScenario('busy-callee', ALICE)
  const ids: Record<string, string> = {
    mediaSessionId: call.body.mediaSessionId as string,
    registrationId,
    subscriptionId: 'zb43-30qr-0z4p-x1m2',
    callId: call.body.mediaSessionId as string,
    sessionId: c2c.body.sessionId as string,
    contactId: 'sales',
    userPhone: '%2B15550009',
    subscriber: encodeURIComponent(ALICE),
    scenarioId: 'busy-callee',
  }
  const state = async () =>
    JSON.stringify({
      calls: [...simulator.control.calls()].map(toAdminCall),
      activations: simulator.control.scenarioActivations(),
      clock: simulator.control.clock(),
      deliveries: simulator.control.deliveries(1000),
      registrations: (
        await http.get(`/webrtc-registration/vwip/sessions?deviceId=${DEVICE_ID}`).set(auth)
      ).body,
      subscriptions: (await http.get('/webrtc-events/vwip/subscriptions').set(auth)).body,
    })
  /** Every operation of every face that may change state, with the path its template gives. */
  const writes = simulator.faces.flatMap((face) =>
    [...face.spec.operations.values()]
      .filter((operation) => operation.method.toUpperCase() !== 'GET')
      .map((operation) => ({
        face: face.id,
        operationId: operation.operationId,
        method: operation.method.toLowerCase() as 'post' | 'put' | 'delete',
        path: `${face.basePath}${operation.pathTemplate.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'x')}`,
        secured:
          operation.security.length > 0 && operation.security.every((s) => s.schemes.length > 0),
      })),
  )
  return { simulator, http, token, registrationId, state, writes }
}

test('answers a createSession whose offer nests 5,000 levels with 400, and places no call', async () => {
  const { simulator, http, token, registrationId } = await setup()
  const calls = [...simulator.control.calls()].length
  // The reproduction of issue 16: this answered 500, but the call was placed.
  const response = await http
    .post('/webrtc-call-handling/vwip/sessions')
    .set('authorization', `Bearer ${token}`)
    .set('registrationId', registrationId)
    .set('content-type', 'application/json')
    .send(nested('offer', 5000))
  expect(response.status).toBe(400)
  expect(response.body).toEqual({
    status: 400,
    code: 'INVALID_ARGUMENT',
    message: expect.stringMatching(/deeper than 64 levels/),
  })
  expect([...simulator.control.calls()]).toHaveLength(calls)
}, 60_000)

test('answers a token request whose claims nest 5,000 levels with 400', async () => {
  const { http } = await setup()
  const response = await http
    .post('/_callsim/tokens')
    .set('content-type', 'application/json')
    .send(`{"sub":"tel:+15550001","claims":${nested('a', 5000)}}`)
  expect(response.status).toBe(400)
  expect(response.body.message).toMatch(/deeper than 64 levels/)
})

test(`accepts a body nested exactly ${MAX_JSON_DEPTH} levels and refuses one level more`, async () => {
  const { http } = await setup()
  // The body object is level 1; the objects under `claims` are the levels below it.
  const levels = (depth: number) =>
    `{"sub":"tel:+15550001","claims":${'{"a":'.repeat(depth - 1)}1${'}'.repeat(depth)}`
  const atLimit = levels(MAX_JSON_DEPTH)
  const tooDeep = levels(MAX_JSON_DEPTH + 1)
  const send = (body: string) =>
    http.post('/_callsim/tokens').set('content-type', 'application/json').send(body)
  expect((await send(atLimit)).status).toBe(201)
  expect((await send(tooDeep)).status).toBe(400)
  // Brackets inside strings are text, not nesting.
  expect((await send(`{"sub":"tel:+15550001","scope":"${'['.repeat(500)}"}`)).status).toBe(201)
})

test('changes no state when a write of any face fails: too deep, malformed, unauthenticated', async () => {
  const { http, state, writes } = await setup()
  expect(writes.map((write) => write.operationId)).toEqual(
    expect.arrayContaining([
      'createSession',
      'updateSessionStatus',
      'deleteSessionById',
      'createRegistration',
      'updateRegistrationById',
      'deleteRegistrationById',
      'createNotificationChannelSubscription',
      'deleteNotificationChannelSubscription',
      'startCall',
      'endCall',
      'resetSimulator',
      'advanceClock',
      'startIncomingCall',
      'activateScenarioGlobally',
      'deactivateScenarioForSubscriber',
    ]),
  )
  const before = await state()
  const token = await tokenFor(startSimulator(), ALICE)
  for (const write of writes) {
    const attempts = [
      { name: 'too deep', body: nested('offer', 5000), type: 'application/json', auth: true },
      { name: 'malformed', body: '{"offer": ', type: 'application/json', auth: true },
      // Control writes: not JSON. API writes: a token signed by another simulator's clock
      // works, so use none at all.
      write.secured
        ? { name: 'no token', body: '{}', type: 'application/json', auth: false }
        : { name: 'not JSON', body: '{}', type: 'text/plain', auth: true },
    ]
    for (const attempt of attempts) {
      let call = http[write.method](write.path).set('content-type', attempt.type)
      if (attempt.auth && write.secured) call = call.set('authorization', `Bearer ${token}`)
      const response = await call.send(attempt.body)
      const label = `${write.operationId} ${attempt.name}`
      expect(response.status, label).toBeGreaterThanOrEqual(400)
      expect(response.status, label).toBeLessThan(500)
      expect(await state(), label).toBe(before)
    }
  }
}, 60_000)
