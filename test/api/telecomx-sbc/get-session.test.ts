import { expect, test } from 'vitest'
import { customerIdOf } from '../../../src/apis/index.js'
import { advance, tokenFor } from '../../support/start-simulator.js'
import { ALICE, BOB, SBC, SIP_CALL_ID, expectSbcError, setup } from './setup.js'

test('shows a CAMARA call as an SBC session under its SIP Call-ID, @ and dots included', async () => {
  const { call, getSession } = await setup()
  const { sipCallId } = await call()
  expect(sipCallId).toMatch(SIP_CALL_ID)
  const response = await getSession(sipCallId)
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('sbc-test-1')
  expect(response.body).toMatchObject({
    callId: sipCallId,
    aNumber: '+15550001',
    aNumberPrivacy: 0,
    bNumber: '+15550002',
    direction: 'O',
    // The host in the Call-ID is the host that sent the INVITE.
    sourceIP: sipCallId.split('@')[1],
    started: '2025-01-01T00:00:00.000Z',
    sourceCustomerId: customerIdOf(ALICE),
  })
  expect(response.body.sbcServer).toMatch(/^192\.0\.2\.\d+$/)
  expect(response.body.destinationIP).toMatch(/^203\.0\.113\.\d+$/)
  expect(typeof response.body.destinationPeer).toBe('string')
  expect(response.body.sourceVoiceAccountId).toMatch(/^[0-9A-F]{24}$/)
  // Not answered, not ended, no media yet: those properties are left out, not empty.
  for (const absent of [
    'answered',
    'ended',
    'endedReason',
    'endedBy',
    'rtpStat',
    'sourcePeer',
    'destinationCustomerId',
  ]) {
    expect(response.body).not.toHaveProperty(absent)
  }
})

test('routes a percent-encoded Call-ID to the same session', async () => {
  const { call, http, tokens, auth } = await setup()
  const { sipCallId } = await call()
  const [local, host] = sipCallId.split('@') as [string, string]
  const response = await http
    .get(`${SBC}/session/${local}%40${host.replace(/\./g, '%2E')}`)
    .set(auth(tokens.admin))
  expect(response.status).toBe(200)
  expect(response.body.callId).toBe(sipCallId)
})

test('fills in answered, ended, endedReason BYE and endedBy A when the caller hangs up after the answer', async () => {
  const { simulator, call, getSession, hangUp } = await setup()
  const { sipCallId, mediaSessionId } = await call()
  advance(simulator, 4000)
  const answered = await getSession(sipCallId)
  expect(answered.body).toMatchObject({ answered: '2025-01-01T00:00:04.000Z' })
  expect(answered.body).not.toHaveProperty('ended')
  expect(answered.body.rtpStat).toMatch(/^\d+,\d+,\d+,\d+,\d+$/)
  advance(simulator, 60_000)
  expect((await hangUp(mediaSessionId)).status).toBe(204)
  const ended = await getSession(sipCallId)
  expect(ended.status).toBe(200)
  expect(ended.body).toMatchObject({
    started: '2025-01-01T00:00:00.000Z',
    answered: '2025-01-01T00:00:04.000Z',
    ended: '2025-01-01T00:01:04.000Z',
    endedReason: 'BYE',
    endedBy: 'A',
  })
})

test('records CANCEL by A when the caller hangs up while it rings', async () => {
  const { simulator, call, getSession, hangUp } = await setup()
  const { sipCallId, mediaSessionId } = await call()
  advance(simulator, 2500)
  await hangUp(mediaSessionId)
  const response = await getSession(sipCallId)
  expect(response.body).toMatchObject({
    ended: '2025-01-01T00:00:02.500Z',
    endedReason: 'CANCEL',
    endedBy: 'A',
  })
  expect(response.body).not.toHaveProperty('answered')
})

test('keeps the generated fields stable for the life of the call and reproducible under the same seed', async () => {
  const generated = [
    'sbcServer',
    'destinationPeer',
    'rtpProxyId',
    'rtpProxyFlags',
    'destinationIP',
    'mobileOriginated',
    'userAgent',
    'userName',
    'userLocation',
    'userExtension',
  ]
  const pick = (body: Record<string, unknown>) =>
    Object.fromEntries(generated.map((key) => [key, body[key]]))
  const first = await setup()
  const { sipCallId } = await first.call()
  const before = pick((await first.getSession(sipCallId)).body)
  advance(first.simulator, 4000)
  const afterAnswer = (await first.getSession(sipCallId)).body
  expect(pick(afterAnswer)).toEqual(before)
  // rtpStat appears with the answer and then stays put.
  advance(first.simulator, 30_000)
  expect((await first.getSession(sipCallId)).body.rtpStat).toBe(afterAnswer.rtpStat)

  const second = await setup()
  const again = await second.call()
  expect(again.sipCallId).toBe(sipCallId)
  expect(pick((await second.getSession(again.sipCallId)).body)).toEqual(before)
})

test('shows a call the network offered to the client as direction I from a peer', async () => {
  const { incoming, getSession } = await setup()
  const { sipCallId } = await incoming('tel:+4581808888', BOB)
  const response = await getSession(sipCallId)
  expect(response.status).toBe(200)
  expect(response.body).toMatchObject({
    aNumber: '+4581808888',
    bNumber: '+15550002',
    direction: 'I',
    destinationCustomerId: customerIdOf(BOB),
  })
  expect(typeof response.body.sourcePeer).toBe('string')
  for (const absent of [
    'destinationPeer',
    'sourceCustomerId',
    'sourceVoiceAccountId',
    'userExtension',
  ]) {
    expect(response.body).not.toHaveProperty(absent)
  }
})

test('shows a withheld caller as anonymous with aNumberPrivacy 1 and SIP users by their user part', async () => {
  const { incoming, getSession } = await setup()
  const anonymous = await getSession((await incoming('sip:anonymous@anonymous.invalid')).sipCallId)
  expect(anonymous.body).toMatchObject({ aNumber: 'anonymous', aNumberPrivacy: 1 })
  const sipUser = await getSession((await incoming('sip:reception@pbx.example.com')).sipCallId)
  expect(sipUser.body).toMatchObject({ aNumber: 'reception', aNumberPrivacy: 0 })
})

test('answers 404 id for an unknown Call-ID', async () => {
  const { getSession } = await setup()
  const response = await getSession('56375632547476357536@203.0.113.74')
  expectSbcError(
    response,
    404,
    'id',
    /^Session not found: no session has the Call-ID "56375632547476357536@203\.0\.113\.74"/,
  )
})

test('answers 404 id once the finished call has passed its retention period', async () => {
  const { simulator, call, getSession, hangUp } = await setup({ retentionMs: 60_000 })
  const { sipCallId, mediaSessionId } = await call()
  await hangUp(mediaSessionId)
  advance(simulator, 59_999)
  expect((await getSession(sipCallId)).status).toBe(200)
  advance(simulator, 1)
  expectSbcError(await getSession(sipCallId), 404, 'id')
})

test('answers 400 bad_request when the session id is missing from the URI', async () => {
  const { http, tokens, auth } = await setup()
  expectSbcError(
    await http.get(`${SBC}/session/%20`).set(auth(tokens.admin)),
    400,
    'bad_request',
    /^Session id not found in request URI/,
  )
  expectSbcError(
    await http.get(`${SBC}/session//`).set(auth(tokens.admin)),
    400,
    'bad_request',
    /^Session id not found in request URI/,
  )
})

test('answers 403 access_denied to a token without ADMIN, or RESELLER_ADMIN with TELE', async () => {
  const { simulator, call, getSession } = await setup()
  const { sipCallId } = await call()
  const scope = 'sbc:sessions:read'
  const refused = [
    [{}, /no accessLevel claim/],
    [{ accessLevel: 'USER' }, /accessLevel "USER" is not enough/],
    [{ accessLevel: 'RESELLER_ADMIN' }, /RESELLER_ADMIN but its features claim lacks TELE/],
    [{ accessLevel: 'RESELLER_ADMIN', features: ['SMS'] }, /lacks TELE/],
  ] as const
  for (const [claims, message] of refused) {
    expectSbcError(
      await getSession(sipCallId, await tokenFor(simulator, ALICE, scope, claims)),
      403,
      'access_denied',
      message,
    )
  }
  for (const claims of [
    { accessLevel: 'RESELLER_ADMIN', features: ['SMS', 'TELE'] },
    { accessLevel: 'RESELLER_ADMIN', features: 'TELE' },
  ]) {
    expect(
      (await getSession(sipCallId, await tokenFor(simulator, ALICE, scope, claims))).status,
    ).toBe(200)
  }
})

test('answers 403 access_denied, not 401, to a missing, forged or scope-less token', async () => {
  const { simulator, call, http } = await setup()
  const { sipCallId } = await call()
  const url = `${SBC}/session/${sipCallId}`
  expectSbcError(await http.get(url), 403, 'access_denied', /Authorization header is missing/)
  expectSbcError(
    await http.get(url).set('authorization', 'Bearer not-a-jwt'),
    403,
    'access_denied',
    /malformed/,
  )
  const noScope = await tokenFor(simulator, ALICE, 'webrtc-call-handling:sessions:read', {
    accessLevel: 'ADMIN',
  })
  expectSbcError(
    await http.get(url).set('authorization', `Bearer ${noScope}`),
    403,
    'access_denied',
    /lacks the scope sbc:sessions:read/,
  )
})

test('answers 405 with Allow: GET, HEAD to a write on a session', async () => {
  const { call, http, tokens, auth } = await setup()
  const { sipCallId } = await call()
  const response = await http.delete(`${SBC}/session/${sipCallId}`).set(auth(tokens.admin))
  expectSbcError(response, 405, 'bad_request', /DELETE is not allowed .*allowed: GET/)
  expect(response.headers.allow).toBe('GET, HEAD')
})
