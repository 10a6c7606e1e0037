import { expect, test } from 'vitest'
import { C2C, SALES, UUID, VISITOR, expectC2cError, setup } from './setup.js'

test('starts a call at once: the contact centre of the template calls the visitor', async () => {
  const { startCall, calls } = await setup()
  const response = await startCall()
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.headers['x-correlator']).toBe('c2c-test-1')
  expect(response.body).toEqual({ sessionId: expect.stringMatching(UUID) })
  const [call, ...others] = calls()
  expect(others).toEqual([])
  expect(call).toMatchObject({
    side: 'originating',
    originator: { address: SALES, name: 'Sales' },
    receiver: { address: `tel:${VISITOR}` },
    owner: SALES,
    status: 'Initial',
  })
})

test('accepts the visitor number with or without the leading +', async () => {
  const { startCall, calls } = await setup()
  expect((await startCall(undefined, 'sales', '4581808888')).status).toBe(200)
  expect((await startCall(undefined, 'support', '+4581808888')).status).toBe(200)
  expect(calls().map((call) => call.receiver.address)).toEqual([
    'tel:+4581808888',
    'tel:+4581808888',
  ])
  expect(calls().map((call) => call.originator.address)).toEqual([SALES, 'tel:+4570202020'])
})

test('takes delay, userExtension, visitorContext and the authorisation settings in the body', async () => {
  const { startCall } = await setup()
  const response = await startCall({
    delay: 0,
    userExtension: '1,,234#',
    visitorContext: { page: '/checkout', cart: { items: 3 } },
    authorizeUrl: 'https://shop.example.com/authorize',
    authEncrypted: false,
  })
  expect(response.status).toBe(200)
})

test('hands out the same session ids under the same seed', async () => {
  const first = await (await setup()).start()
  const second = await (await setup()).start()
  const reseeded = await (await setup({ seed: 43 })).start()
  expect(second).toBe(first)
  expect(reseeded).not.toBe(first)
})

test('answers 404 for an unknown or malformed contactId and places no call', async () => {
  const { startCall, calls } = await setup()
  expectC2cError(
    await startCall(undefined, 'marketing'),
    404,
    /^Unknown contactId "marketing": no call template has this id\. Known: sales, support, billing\.$/,
  )
  expectC2cError(
    await startCall(undefined, 'sales.team'),
    404,
    /^Invalid contactId: path parameter contactId must match/,
  )
  expect(calls()).toEqual([])
})

test('answers 404 for an invalid phone number and places no call', async () => {
  const { startCall, calls } = await setup()
  for (const phone of ['call-me', '+0581808888', '1234', '+1234567890123456']) {
    expectC2cError(
      await startCall(undefined, 'sales', phone),
      404,
      /^Invalid phone number: path parameter userPhone must match .* Give the number in E\.164 form/,
    )
  }
  expect(calls()).toEqual([])
})

test('answers 400 for a bad delay, userExtension or body and places no call', async () => {
  const { startCall, http, tokens, auth, calls } = await setup()
  const cases: [object, RegExp][] = [
    [{ delay: -1 }, /delay must be >= 0/],
    [{ delay: 86_401 }, /delay must be <= 86400/],
    [{ delay: 1.5 }, /delay must be of type integer/],
    [{ delay: 'soon' }, /delay must be of type integer/],
    [{ userExtension: '12a' }, /userExtension must match/],
    [{ userExtension: '' }, /userExtension must match/],
    [{ colour: 'red' }, /colour is not an allowed property/],
  ]
  for (const [body, message] of cases) {
    expectC2cError(
      await startCall(body),
      400,
      new RegExp(`^Invalid request parameters: .*${message.source}`),
    )
  }
  const malformed = await http
    .post(`${C2C}/sales/${VISITOR}`)
    .set(auth(tokens.website))
    .set('content-type', 'application/json')
    .send('{"delay":')
  expectC2cError(malformed, 400, /not valid JSON/)
  expect(calls()).toEqual([])
})

test('answers 403 when pre-call authorisation refuses a blacklisted number', async () => {
  const { startCall, calls } = await setup()
  expectC2cError(
    await startCall(undefined, 'support', '4599999999'),
    403,
    /^Pre-call authorisation failed: \+4599999999 is blacklisted/,
  )
  expect(calls()).toEqual([])
})

test('answers 401 without a valid token and 403 without the create scope', async () => {
  const { http, token, startCall } = await setup()
  expectC2cError(
    await http.post(`${C2C}/sales/${VISITOR}`),
    401,
    /^A valid bearer token is required: the Authorization header is missing/,
  )
  expectC2cError(
    await http.post(`${C2C}/sales/${VISITOR}`).set('authorization', 'Bearer x.y.z'),
    401,
    /malformed/,
  )
  const readOnly = await token('sip:website@shop.example.com', 'click2call:calls:read')
  expectC2cError(
    await startCall(undefined, 'sales', VISITOR, readOnly),
    403,
    /lacks the scope click2call:calls:create/,
  )
})

test('answers 405 with Allow for a wrong method on each path', async () => {
  const { http, tokens, auth, start } = await setup()
  const sessionId = await start()
  const cases = [
    [http.get(`${C2C}/sales/${VISITOR}`), 'POST'],
    [http.put(`${C2C}/sales/${VISITOR}`), 'POST'],
    [http.post(`${C2C}/${sessionId}`), 'DELETE'],
    [http.get(`${C2C}/${sessionId}`), 'DELETE'],
    [http.delete(`${C2C}/${sessionId}/status`), 'GET, HEAD'],
    [http.put(`${C2C}/${sessionId}/status`), 'GET, HEAD'],
  ] as const
  for (const [pending, allowed] of cases) {
    const response = await pending.set(auth(tokens.website))
    expectC2cError(response, 405, new RegExp(`^Method not allowed: .* allowed: ${allowed}\\.$`))
    expect(response.headers.allow).toBe(allowed)
  }
})

test('answers 404 for a path that no operation has', async () => {
  const { http, tokens, auth } = await setup()
  expectC2cError(
    await http.post(`${C2C}/sales/${VISITOR}/extra`).set(auth(tokens.website)),
    404,
    /^Invalid URI path: no Click2Call operation answers POST/,
  )
  expectC2cError(await http.get(C2C).set(auth(tokens.website)), 404, /^Invalid URI path/)
})
