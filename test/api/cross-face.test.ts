import request from 'supertest'
import { expect, test } from 'vitest'
import { registerDevice } from '../support/register-device.js'
import { ALICE, BOB, advance, startSimulator, tokenFor } from '../support/start-simulator.js'

const CAMARA = '/webrtc-call-handling/vwip'
const SBC = '/sbc/session'
const C2C = '/call/2.0'
/** The built-in Click2Call template `sales` (config/call-templates.yaml). */
const SALES = 'tel:+4570101010'
/** 2025-01-01T00:00:00Z, where the virtual clock starts, in epoch seconds. */
const T0 = 1_735_689_600

/**
 * One simulator seen through three faces: a CAMARA client, an SBC administrator and a
 * Click2Call website, each with its own real token.
 */
async function setup() {
  const simulator = startSimulator()
  const http = request(simulator.app)
  const dayLong = 24 * 3_600_000
  const issue = async (sub: string, scope?: string, claims?: Record<string, unknown>) =>
    (await simulator.control.issueToken({ sub, scope, claims, expiresInMs: dayLong })).token
  const tokens = {
    alice: await tokenFor(simulator, ALICE),
    bob: await tokenFor(simulator, BOB),
    sales: await issue(
      SALES,
      'webrtc-call-handling:sessions:read webrtc-call-handling:sessions:delete',
    ),
    sbc: await issue('sip:noc@telecomx.example.com', 'sbc:sessions:read', {
      accessLevel: 'RESELLER_ADMIN',
      features: ['TELE'],
    }),
    website: await issue(
      'sip:website@shop.example.com',
      'click2call:calls:create click2call:calls:read',
    ),
  }
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
  return {
    simulator,
    http,
    tokens,
    camara: (id: string, token: string) => http.get(`${CAMARA}/sessions/${id}`).set(bearer(token)),
    sbcSession: (callId: string) =>
      http.get(`${SBC}/${encodeURIComponent(callId)}`).set(bearer(tokens.sbc)),
    sbcList: () => http.get(SBC).set(bearer(tokens.sbc)),
    c2cStatus: (sessionId: string) =>
      http.get(`${C2C}/${sessionId}/status`).set(bearer(tokens.website)),
    /** The network's calls through the control API, as a tester looks them up. */
    networkCalls: async () =>
      (await http.get('/_callsim/calls')).body.calls as { id: string; sipCallId: string }[],
  }
}

test('a CAMARA call that rings and is rejected by the callee appears as an SBC session with 603 from B', async () => {
  const { simulator, http, tokens, camara, sbcSession, networkCalls } = await setup()
  const registrationId = await registerDevice(simulator, ALICE)
  // tel:+15550100603 is the `declined` magic number: Ringing after 1 s, Declined (SIP 603) 2 s later.
  const created = await http
    .post(`${CAMARA}/sessions`)
    .set('authorization', `Bearer ${tokens.alice}`)
    .set('registrationId', registrationId)
    .send({
      originatorAddress: ALICE,
      receiverAddress: 'tel:+15550100603',
      offer: { sdp: 'v=0\r\n' },
    })
  expect(created.status).toBe(201)
  const { mediaSessionId } = created.body as { mediaSessionId: string }
  const [call] = await networkCalls()
  if (!call) throw new Error('createSession placed no call')
  advance(simulator, 1000)
  expect((await camara(mediaSessionId, tokens.alice)).body.status).toBe('Ringing')
  expect((await sbcSession(call.sipCallId)).body).not.toHaveProperty('ended')
  advance(simulator, 2000)
  expect((await camara(mediaSessionId, tokens.alice)).body.status).toBe('Declined')
  const session = await sbcSession(call.sipCallId)
  expect(session.status).toBe(200)
  expect(session.body).toMatchObject({
    callId: call.sipCallId,
    aNumber: '+15550001',
    bNumber: '+15550100603',
    direction: 'O',
    started: '2025-01-01T00:00:00.000Z',
    ended: '2025-01-01T00:00:03.000Z',
    endedReason: '603',
    endedBy: 'B',
  })
  expect(session.body).not.toHaveProperty('answered')
})

test('an incoming call that Bob lets ring and rejects through CAMARA appears as an SBC session with 603 from B', async () => {
  const { simulator, http, tokens, camara, sbcSession } = await setup()
  await registerDevice(simulator, BOB)
  // The network offers Bob a call from Denmark (the control API's incoming call).
  const offered = await http
    .post('/_callsim/calls/incoming')
    .send({ from: 'tel:+4581808888', to: BOB })
  expect(offered.status).toBe(201)
  const { id, sipCallId } = offered.body as { id: string; sipCallId: string }
  advance(simulator, 1000)
  const ringing = await http
    .put(`${CAMARA}/sessions/${id}/status`)
    .set('authorization', `Bearer ${tokens.bob}`)
    .send({ status: 'Ringing' })
  expect(ringing.status).toBe(200)
  expect((await sbcSession(sipCallId)).body).toMatchObject({
    direction: 'I',
    started: '2025-01-01T00:00:00.000Z',
  })
  advance(simulator, 6000)
  // Bob rejects the call while it rings: CAMARA Declined, which an SBC logs as SIP 603 from B.
  expect(
    (await http.delete(`${CAMARA}/sessions/${id}`).set('authorization', `Bearer ${tokens.bob}`))
      .status,
  ).toBe(204)
  expect((await camara(id, tokens.bob)).body.status).toBe('Declined')

  const session = await sbcSession(sipCallId)
  expect(session.status).toBe(200)
  expect(session.body).toMatchObject({
    callId: sipCallId,
    aNumber: '+4581808888',
    bNumber: '+15550002',
    direction: 'I',
    started: '2025-01-01T00:00:00.000Z',
    ended: '2025-01-01T00:00:07.000Z',
    endedReason: '603',
    endedBy: 'B',
  })
  expect(session.body).not.toHaveProperty('answered')
  expect(session.body).not.toHaveProperty('rtpStat')
})

test('a delayed Click2Call call is scheduled, initiated, connected and disconnected, and CAMARA and the SBC follow', async () => {
  const { simulator, http, tokens, camara, sbcSession, sbcList, c2cStatus, networkCalls } =
    await setup()
  const started = await http
    .post(`${C2C}/sales/+15550009`)
    .set('authorization', `Bearer ${tokens.website}`)
    .send({ delay: 120 })
  expect(started.status).toBe(200)
  const { sessionId } = started.body as { sessionId: string }

  // Scheduled: only the Click2Call face knows of it; the network has no call yet.
  expect((await c2cStatus(sessionId)).body).toEqual({
    sessionId,
    callState: 'scheduled',
    time: T0,
    scheduledTime: T0 + 120,
    more: 'no',
    hasChanged: 'yes',
  })
  expect(await networkCalls()).toEqual([])
  expect((await sbcList()).body).toMatchObject({ total: 0, sessions: [] })

  // Initiated: the contact centre's call to the visitor exists on every face.
  advance(simulator, 120_000)
  expect((await c2cStatus(sessionId)).body).toEqual({
    sessionId,
    callState: 'initiated',
    time: T0 + 120,
    more: 'yes',
    hasChanged: 'yes',
  })
  const [call] = await networkCalls()
  if (!call) throw new Error('the delayed call was not placed')
  const initiated = await camara(call.id, tokens.sales)
  expect(initiated.status).toBe(200)
  expect(initiated.body).toMatchObject({
    mediaSessionId: call.id,
    originatorAddress: SALES,
    originatorName: 'Sales',
    receiverAddress: 'tel:+15550009',
    status: 'Initial',
  })
  expect((await sbcSession(call.sipCallId)).body).toMatchObject({
    aNumber: '+4570101010',
    bNumber: '+15550009',
    direction: 'O',
    started: '2025-01-01T00:02:00.000Z',
  })
  advance(simulator, 1000)
  expect((await camara(call.id, tokens.sales)).body.status).toBe('Ringing')
  expect((await c2cStatus(sessionId)).body).toMatchObject({
    callState: 'initiated',
    more: 'maybe',
    hasChanged: 'no',
  })

  // Connected: the visitor answered 4 s after the call was placed.
  advance(simulator, 3000)
  expect((await c2cStatus(sessionId)).body).toEqual({
    sessionId,
    callState: 'connected',
    time: T0 + 124,
    more: 'yes',
    hasChanged: 'yes',
  })
  expect((await camara(call.id, tokens.sales)).body.status).toBe('Connected')
  expect((await sbcSession(call.sipCallId)).body).toMatchObject({
    answered: '2025-01-01T00:02:04.000Z',
  })

  // Disconnected: the contact centre hangs up through CAMARA, and Click2Call sees it.
  advance(simulator, 56_000)
  expect(
    (
      await http
        .delete(`${CAMARA}/sessions/${call.id}`)
        .set('authorization', `Bearer ${tokens.sales}`)
    ).status,
  ).toBe(204)
  expect((await c2cStatus(sessionId)).body).toEqual({
    sessionId,
    callState: 'disconnected',
    time: T0 + 180,
    more: 'no',
    hasChanged: 'yes',
  })
  expect((await camara(call.id, tokens.sales)).body.status).toBe('Terminated')
  expect((await sbcSession(call.sipCallId)).body).toMatchObject({
    ended: '2025-01-01T00:03:00.000Z',
    endedReason: 'BYE',
    endedBy: 'A',
  })
})

test('a Click2Call call belongs to the contact centre: other subscribers get 404 from CAMARA', async () => {
  const { http, tokens, camara, networkCalls } = await setup()
  expect(
    (await http.post(`${C2C}/sales/+15550009`).set('authorization', `Bearer ${tokens.website}`))
      .status,
  ).toBe(200)
  const [call] = await networkCalls()
  expect((await camara(call?.id ?? '', tokens.sales)).status).toBe(200)
  expect((await camara(call?.id ?? '', tokens.bob)).status).toBe(404)
})
