import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, BASE, BOB, CREDENTIAL, DEVICE, TYPES, setup } from './setup.js'

test('answers 201 with the subscription, without the sink credential, and echoes x-correlator', async () => {
  const { createSubscription, subscription, sink } = await setup()
  const response = await createSubscription(
    subscription(TYPES.status, {
      subscriptionExpireTime: '2025-01-01T01:00:00+00:00',
      subscriptionMaxEvents: 10,
    }),
  )
  expect(response.status).toBe(201)
  expect(response.headers['content-type']).toBe('application/json')
  expect(response.headers['x-correlator']).toBe('events-test-1')
  expect(response.body).toEqual({
    protocol: 'HTTP',
    sink: sink.url,
    types: [TYPES.status],
    config: {
      subscriptionDetail: { deviceId: DEVICE },
      subscriptionExpireTime: '2025-01-01T01:00:00.000Z',
      subscriptionMaxEvents: 10,
    },
    id: expect.stringMatching(/^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/),
    startsAt: '2025-01-01T00:00:00.000Z',
    expiresAt: '2025-01-01T01:00:00.000Z',
    status: 'ACTIVE',
  })
})

test("lists and reads only the caller's own subscriptions", async () => {
  const { http, auth, tokens, subscribe, simulator } = await setup()
  const id = await subscribe(TYPES.invitation)
  const list = await http.get(`${BASE}/subscriptions`).set(auth(tokens.alice))
  expect(list.status).toBe(200)
  expect(list.body).toEqual([expect.objectContaining({ id, types: [TYPES.invitation] })])
  const read = await http.get(`${BASE}/subscriptions/${id}`).set(auth(tokens.alice))
  expect(read.body).toEqual(list.body[0])
  await registerDevice(simulator, BOB, '0b9e0c5e-0d43-4c2a-9c0e-5f1f3c6f2a10')
  expect((await http.get(`${BASE}/subscriptions`).set(auth(tokens.bob))).body).toEqual([])
  expectErrorInfo(
    await http.get(`${BASE}/subscriptions/${id}`).set(auth(tokens.bob)),
    404,
    'NOT_FOUND',
    new RegExp(`no subscription ${id} for this caller`),
  )
  expectErrorInfo(
    await http.delete(`${BASE}/subscriptions/${id}`).set(auth(tokens.bob)),
    404,
    'NOT_FOUND',
  )
  expect((await http.get(`${BASE}/subscriptions/${id}`).set(auth(tokens.alice))).status).toBe(200)
})

test('refuses several event types in one subscription with 422 MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED', async () => {
  const { createSubscription, subscription, http, auth, tokens } = await setup()
  const response = await createSubscription({
    ...subscription(TYPES.status),
    types: [TYPES.status, TYPES.invitation],
  })
  expectErrorInfo(
    response,
    422,
    'MULTIEVENT_SUBSCRIPTION_NOT_SUPPORTED',
    /lists 2 types; create one subscription per event type/,
  )
  expect((await http.get(`${BASE}/subscriptions`).set(auth(tokens.alice))).body).toEqual([])
})

test('refuses a device without a registration for the caller, and one registered to someone else', async () => {
  const { createSubscription, subscription, simulator, tokens } = await setup()
  const unknown = { subscriptionDetail: { deviceId: '11111111-2222-4333-8444-555555555555' } }
  expectErrorInfo(
    await createSubscription(subscription(TYPES.status, unknown)),
    422,
    'SERVICE_NOT_APPLICABLE',
    /has no active registration for this subscriber/,
  )
  expectErrorInfo(
    await createSubscription(subscription(TYPES.status), tokens.bob),
    403,
    'SUBSCRIPTION_MISMATCH',
    /registered for another subscriber/,
  )
  await registerDevice(simulator, BOB, DEVICE)
  expect((await createSubscription(subscription(TYPES.status), tokens.bob)).status).toBe(201)
})

test('takes any device when callsim runs with --registration optional', async () => {
  const { createSubscription, subscription } = await setup({ registration: 'optional' })
  const response = await createSubscription(
    subscription(TYPES.status, {
      subscriptionDetail: { deviceId: '11111111-2222-4333-8444-555555555555' },
    }),
  )
  expect(response.status).toBe(201)
})

test('refuses an http sink with INVALID_SINK and says how to allow a local one', async () => {
  const { createSubscription, subscription } = await setup({ allowHttpSinks: false })
  const response = await createSubscription(subscription(TYPES.status))
  expectErrorInfo(
    response,
    400,
    'INVALID_SINK',
    /sink must match the pattern \^https:\\\/\\\/\.\+\$; .*--allow-http-sinks/,
  )
})

test('accepts http sinks on loopback addresses only when allowed', async () => {
  const { createSubscription, subscription } = await setup()
  const remote = await createSubscription({
    ...subscription(TYPES.status),
    sink: 'http://sink.example.com/events',
  })
  expectErrorInfo(remote, 400, 'INVALID_SINK')
  expect(remote.body.message).not.toMatch(/--allow-http-sinks/)
  const https = await createSubscription({
    ...subscription(TYPES.status),
    sink: 'https://sink.example.com/events',
  })
  expect(https.status).toBe(201)
})

test('refuses an incomplete or expired sink credential with INVALID_CREDENTIAL', async () => {
  const { createSubscription, subscription } = await setup()
  const incomplete = await createSubscription({
    ...subscription(TYPES.status),
    sinkCredential: { credentialType: 'ACCESSTOKEN', accessToken: 'x' },
  })
  expectErrorInfo(
    incomplete,
    400,
    'INVALID_CREDENTIAL',
    /sinkCredential.accessTokenExpiresUtc is required; sinkCredential.accessTokenType is required/,
  )
  const expired = await createSubscription({
    ...subscription(TYPES.status),
    sinkCredential: { ...CREDENTIAL, accessTokenExpiresUtc: '2024-12-31T23:59:59Z' },
  })
  expectErrorInfo(
    expired,
    400,
    'INVALID_CREDENTIAL',
    /accessTokenExpiresUtc 2024-12-31T23:59:59.000Z is not in the future/,
  )
  const unknownType = await createSubscription({
    ...subscription(TYPES.status),
    sinkCredential: { credentialType: 'PLAIN' },
  })
  expectErrorInfo(
    unknownType,
    400,
    'INVALID_CREDENTIAL',
    /credentialType must be one of: "ACCESSTOKEN"/,
  )
})

test('refuses another protocol with INVALID_PROTOCOL and an expiry in the past with INVALID_ARGUMENT', async () => {
  const { createSubscription, subscription } = await setup()
  expectErrorInfo(
    await createSubscription({ ...subscription(TYPES.status), protocol: 'MQTT3' }),
    400,
    'INVALID_PROTOCOL',
    /protocol must be one of: "HTTP"/,
  )
  expectErrorInfo(
    await createSubscription(
      subscription(TYPES.status, { subscriptionExpireTime: '2024-06-01T00:00:00Z' }),
    ),
    400,
    'INVALID_ARGUMENT',
    /config.subscriptionExpireTime 2024-06-01T00:00:00.000Z is not in the future/,
  )
  expectErrorInfo(
    await createSubscription({
      ...subscription(TYPES.status),
      types: ['org.camaraproject.webrtc-events.v0.subscription-ended'],
    }),
    400,
    'INVALID_ARGUMENT',
    /types\[0\] must be one of/,
  )
})

test('answers 409 ALREADY_EXISTS for the same sink, device and type twice', async () => {
  const { createSubscription, subscription } = await setup()
  const first = await createSubscription(subscription(TYPES.status))
  expectErrorInfo(
    await createSubscription(subscription(TYPES.status)),
    409,
    'ALREADY_EXISTS',
    new RegExp(`Subscription ${first.body.id} already delivers`),
  )
})

test('updates the sink credential and the expiry, and nothing else', async () => {
  const { http, auth, tokens, subscribe } = await setup()
  const id = await subscribe(TYPES.status)
  const update = {
    sinkCredential: { ...CREDENTIAL, accessToken: 'rotated' },
    config: { subscriptionExpireTime: '2025-01-01T02:00:00Z' },
  }
  const response = await http
    .put(`${BASE}/subscriptions/${id}`)
    .set(auth(tokens.alice))
    .send(update)
  expect(response.status).toBe(200)
  expect(response.body).toMatchObject({
    id,
    types: [TYPES.status],
    expiresAt: '2025-01-01T02:00:00.000Z',
    config: { subscriptionExpireTime: '2025-01-01T02:00:00.000Z' },
  })
  expect(response.body).not.toHaveProperty('sinkCredential')
  const sinkChange = await http
    .put(`${BASE}/subscriptions/${id}`)
    .set(auth(tokens.alice))
    .send({ sink: 'https://elsewhere.example.com/' })
  expectErrorInfo(sinkChange, 400, 'INVALID_ARGUMENT', /sink is not an allowed property/)
  expectErrorInfo(
    await http.put(`${BASE}/subscriptions/nope`).set(auth(tokens.alice)).send({}),
    404,
    'NOT_FOUND',
  )
})

test('deletes a subscription with 204, after which it is not found', async () => {
  const { http, auth, tokens, subscribe } = await setup()
  const id = await subscribe(TYPES.status)
  const deleted = await http.delete(`${BASE}/subscriptions/${id}`).set(auth(tokens.alice))
  expect(deleted.status).toBe(204)
  expect(deleted.headers['x-correlator']).toBe('events-test-1')
  expectErrorInfo(
    await http.get(`${BASE}/subscriptions/${id}`).set(auth(tokens.alice)),
    404,
    'NOT_FOUND',
  )
})

test('answers a subscription id longer than the spec allows with INVALID_ARGUMENT', async () => {
  const { http, auth, tokens } = await setup()
  expectErrorInfo(
    await http.get(`${BASE}/subscriptions/${'x'.repeat(257)}`).set(auth(tokens.alice)),
    400,
    'INVALID_ARGUMENT',
    /subscriptionId must be at most 256 characters/,
  )
})

test('needs a token and the event scopes to subscribe', async () => {
  const { http, subscription, simulator } = await setup()
  expectErrorInfo(
    await http.post(`${BASE}/subscriptions`).send(subscription(TYPES.status)),
    401,
    'UNAUTHENTICATED',
  )
  const narrow = (await simulator.control.issueToken({ sub: ALICE, scope: 'webrtc-events:read' }))
    .token
  expectErrorInfo(
    await http
      .post(`${BASE}/subscriptions`)
      .set('authorization', `Bearer ${narrow}`)
      .send(subscription(TYPES.status)),
    403,
    'PERMISSION_DENIED',
    /webrtc-events:org.camaraproject.webrtc-events.v0.session-status:create/,
  )
})
