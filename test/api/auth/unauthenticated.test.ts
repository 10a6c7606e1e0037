import { SignJWT } from 'jose'
import { expect, test } from 'vitest'
import { DEFAULT_TOKEN_SECRET } from '../../../src/app/index.js'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, startSimulator } from '../../support/start-simulator.js'
import { CALLS, REGISTRATIONS, setup } from './setup.js'

const SESSION = `${CALLS}/sessions/0123456789ABCDEF`

/** The CAMARA acceptance tests expect exactly this shape for every 401. */
function expect401(response: Parameters<typeof expectErrorInfo>[0], reason: string): void {
  expectErrorInfo(response, 401, 'UNAUTHENTICATED')
  expect(response.body.message).toBe(
    `Request not authenticated: ${reason}. A new authentication is required.`,
  )
  expect(response.headers['x-correlator']).toBe('auth-401')
}

test('answers 401 when the Authorization header is missing', async () => {
  const { http } = await setup()
  const response = await http.get(SESSION).set('x-correlator', 'auth-401')
  expect401(
    response,
    'the Authorization header is missing; send "Authorization: Bearer <token>" (get a token with `callsim token`)',
  )
})

test('answers 401 for a scheme other than Bearer', async () => {
  const { http, tokens } = await setup()
  const response = await http
    .get(SESSION)
    .set({ authorization: `Basic ${tokens.alice}`, 'x-correlator': 'auth-401' })
  expect401(response, 'the Authorization scheme is "Basic", but this API takes only Bearer tokens')
})

test('answers 401 for a malformed token', async () => {
  const { http } = await setup()
  const empty = await http.get(SESSION).set({ authorization: 'Bearer', 'x-correlator': 'auth-401' })
  expect401(empty, 'the token is malformed: expected "Authorization: Bearer <token>"')
  const twoParts = await http
    .get(SESSION)
    .set({ authorization: 'Bearer abc def', 'x-correlator': 'auth-401' })
  expect401(twoParts, 'the token is malformed: expected "Authorization: Bearer <token>"')
  const notJwt = await http
    .get(SESSION)
    .set({ authorization: 'Bearer not.a.jwt', 'x-correlator': 'auth-401' })
  expect401(notJwt, 'the token is malformed: it is not a signed JWT')
})

test('answers 401 for a token signed with another secret', async () => {
  const { http } = await setup()
  const stranger = startSimulator({ tokenSecret: 'somebody-elses-secret' })
  const forged = (await stranger.control.issueToken({ sub: ALICE })).token
  const response = await http
    .get(SESSION)
    .set({ authorization: `Bearer ${forged}`, 'x-correlator': 'auth-401' })
  expect401(response, 'the token signature is invalid (was it signed with another secret?)')
})

/** A token signed with callsim's own secret but built by hand, to break one rule at a time. */
function handMade(
  claims: Record<string, unknown>,
  build: (jwt: SignJWT) => SignJWT,
  alg = 'HS256',
): Promise<string> {
  return build(
    new SignJWT({ scope: 'webrtc-call-handling:sessions:read', ...claims })
      .setProtectedHeader({ alg })
      .setExpirationTime('2h'),
  ).sign(new TextEncoder().encode(DEFAULT_TOKEN_SECRET))
}

test('answers 401 for a token with the right secret that breaks a claim rule', async () => {
  const { http } = await setup()
  const cases: Array<[Promise<string>, string]> = [
    [
      handMade({}, (jwt) => jwt.setSubject(ALICE).setIssuer('someone-else')),
      'the token was not issued by callsim (its "iss" claim must be "callsim"); get one with `callsim token`',
    ],
    [
      handMade({}, (jwt) => jwt.setIssuer('callsim')),
      'the token claim "sub" is invalid: missing required "sub" claim',
    ],
    [
      handMade({}, (jwt) => jwt.setSubject('alice').setIssuer('callsim')),
      'the token subject must be a tel: or sip: address',
    ],
    [
      handMade({}, (jwt) => jwt.setSubject(ALICE).setIssuer('callsim'), 'HS512'),
      'the token is not signed with HS256',
    ],
  ]
  for (const [token, reason] of cases) {
    expect401(
      await http
        .get(SESSION)
        .set({ authorization: `Bearer ${await token}`, 'x-correlator': 'auth-401' }),
      reason,
    )
  }
})

test('answers 401 once the virtual clock passes the token expiry, even for a token used before', async () => {
  const { simulator, http, registrationId } = await setup()
  const token = (await simulator.control.issueToken({ sub: ALICE, expiresInMs: 60_000 })).token
  const get = () =>
    http
      .get(`${REGISTRATIONS}/sessions/${registrationId}`)
      .set({ authorization: `Bearer ${token}`, 'x-correlator': 'auth-401' })
  expect((await get()).status).toBe(200)
  simulator.control.advanceClock(59_999)
  expect((await get()).status).toBe(200)
  simulator.control.advanceClock(1)
  expect401(await get(), 'the token has expired; get a new one')
})

test('answers 401 for a token first presented after it expired', async () => {
  const { simulator, http } = await setup()
  const token = (await simulator.control.issueToken({ sub: ALICE, expiresInMs: 60_000 })).token
  simulator.control.advanceClock(60_000)
  const response = await http
    .get(SESSION)
    .set({ authorization: `Bearer ${token}`, 'x-correlator': 'auth-401' })
  expect401(response, 'the token has expired; get a new one')
})

test('checks the token before the body: a bad body without a token gets 401, not 400', async () => {
  const { http } = await setup()
  const response = await http
    .post(`${CALLS}/sessions`)
    .set({ 'content-type': 'application/json', 'x-correlator': 'auth-401' })
    .send('{not json')
  expect401(
    response,
    'the Authorization header is missing; send "Authorization: Bearer <token>" (get a token with `callsim token`)',
  )
})

test('answers 401 on every CAMARA face in its ErrorInfo shape', async () => {
  const { http } = await setup()
  const requests = [
    http.post(`${CALLS}/sessions`).send({}),
    http.get(SESSION),
    http.put(`${SESSION}/status`).send({ status: 'Hold' }),
    http.delete(SESSION),
    http
      .get(`${REGISTRATIONS}/sessions`)
      .query({ deviceId: '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11' }),
    http.post(`${REGISTRATIONS}/sessions`).send({}),
    http.get(`${REGISTRATIONS}/sessions/abc`),
    http.put(`${REGISTRATIONS}/sessions/abc`).send({}),
    http.delete(`${REGISTRATIONS}/sessions/abc`),
  ]
  for (const pending of requests)
    expect401(
      await pending.set('x-correlator', 'auth-401'),
      'the Authorization header is missing; send "Authorization: Bearer <token>" (get a token with `callsim token`)',
    )
})
