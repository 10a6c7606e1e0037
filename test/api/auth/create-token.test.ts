import { decodeJwt } from 'jose'
import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { setup } from './setup.js'

const REG_URL = '/webrtc-registration/vwip/sessions?deviceId=4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11'

test('mints a token with every declared scope by default that the faces accept', async () => {
  const { simulator, http } = await setup()
  const response = await http.post('/_callsim/tokens').send({ sub: 'tel:+15550003' })
  expect(response.status).toBe(201)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.body).toEqual({
    token: expect.any(String),
    sub: 'tel:+15550003',
    scope: simulator.allScopes.join(' '),
    expiresAt: '2025-01-01T01:00:00.000Z',
  })
  expect(simulator.allScopes).toEqual(
    expect.arrayContaining([
      'webrtc-call-handling:sessions:create',
      'webrtc-registration:sessions:read',
    ]),
  )
  const claims = decodeJwt(response.body.token)
  expect(claims).toMatchObject({
    sub: 'tel:+15550003',
    iss: 'callsim',
    scope: response.body.scope,
    exp: Date.parse('2025-01-01T01:00:00Z') / 1000,
  })
  const used = await http.get(REG_URL).set('authorization', `Bearer ${response.body.token}`)
  expect(used.status).toBe(200)
  expect(used.body).toEqual([])
})

test('mints a narrowed, short-lived token with extra claims that expires on the virtual clock', async () => {
  const { simulator, http } = await setup()
  const response = await http.post('/_callsim/tokens').send({
    sub: 'sip:alice@example.com',
    scope: 'webrtc-registration:sessions:read',
    expiresIn: '90s',
    claims: { accessLevel: 'ADMIN' },
  })
  expect(response.status).toBe(201)
  expect(response.body).toMatchObject({
    sub: 'sip:alice@example.com',
    scope: 'webrtc-registration:sessions:read',
    expiresAt: '2025-01-01T00:01:30.000Z',
  })
  expect(decodeJwt(response.body.token)).toMatchObject({ accessLevel: 'ADMIN' })
  const auth = { authorization: `Bearer ${response.body.token}` }
  expect((await http.get(REG_URL).set(auth)).status).toBe(200)
  expectErrorInfo(
    await http
      .post('/webrtc-registration/vwip/sessions')
      .set(auth)
      .send({ deviceId: '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11' }),
    403,
    'PERMISSION_DENIED',
  )
  simulator.control.advanceClock(90_000)
  expectErrorInfo(
    await http.get(REG_URL).set(auth),
    401,
    'UNAUTHENTICATED',
    /the token has expired/,
  )
})

test('answers 400 for a subject that is no tel: or sip: address and for a bad lifetime', async () => {
  const { http } = await setup()
  expectErrorInfo(
    await http.post('/_callsim/tokens').send({ sub: 'alice' }),
    400,
    'INVALID_ARGUMENT',
    /sub/,
  )
  expectErrorInfo(
    await http.post('/_callsim/tokens').send({ sub: 'tel:+15550001', expiresIn: 'soon' }),
    400,
    'INVALID_ARGUMENT',
    /^expiresIn: "soon" is not a duration/,
  )
})
