import request from 'supertest'
import { expect, test } from 'vitest'
import type { Face } from '../../src/apis/index.js'
import { ALICE, startSimulator, tokenFor } from '../support/start-simulator.js'

/** What each face answers for an empty path parameter, in its own error format. */
const EXPECTED: Record<string, (name: string) => { status: number; body: object }> = {
  'camara-call-handling': (name) => camaraInvalidArgument(name),
  'camara-registration': (name) => camaraInvalidArgument(name),
  'camara-events': (name) => camaraInvalidArgument(name),
  admin: (name) => camaraInvalidArgument(name),
  // The TelecomX wiki: 400 bad_request "Session id not found in request URI".
  'telecomx-sbc': () => ({
    status: 400,
    body: {
      error: 'bad_request',
      message: expect.stringMatching(/^Session id not found in request URI/),
    },
  }),
  // The Click2Call guide answers an invalid URI path with 404.
  'oracle-click2call': (name) => ({
    status: 404,
    body: {
      status: 404,
      message: expect.stringMatching(new RegExp(`^Invalid URI path: .*${name}`)),
    },
  }),
}

/** `onReply({"statuscode":404,"reason":"…"});` read back as the JSON error body it stands for. */
function readJsonpFailure(text: string): object {
  const match = /^onReply\((.*)\);$/s.exec(text)
  if (!match?.[1]) return { unexpectedBody: text }
  const { statuscode, reason } = JSON.parse(match[1]) as { statuscode: number; reason: string }
  return { status: statuscode, message: reason }
}

function camaraInvalidArgument(name: string) {
  return {
    status: 400,
    body: {
      status: 400,
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining(`path parameter ${name} is missing or empty`),
    },
  }
}

/** Every (face, operation, path parameter) of the served specs, with the path left empty there. */
function emptyParameterCases(faces: readonly Face[]) {
  return faces.flatMap((face) =>
    [...face.spec.operations.values()]
      // Click2Call's JSONP variants answer every failure as a script call (docs/oracle-click2call.md).
      .filter((operation) => operation.raw['x-jsonp-callback'] === undefined)
      .flatMap((operation) =>
        operation.parameters
          .filter((parameter) => parameter.in === 'path')
          .map((parameter) => ({
            face,
            operation,
            name: parameter.name,
            path:
              face.basePath +
              operation.pathTemplate.replace(/\{([^}]+)\}/g, (_all, other: string) =>
                other === parameter.name ? '' : 'x1',
              ),
          })),
      ),
  )
}

test('answers an empty path parameter on every templated path of every face with its 400 (or the guide’s 404), naming the parameter', async () => {
  const simulator = startSimulator()
  const token = await tokenFor(simulator, ALICE)
  const cases = emptyParameterCases(simulator.faces)
  // Every face with a templated path is covered, and the list is not empty by accident.
  expect(new Set(cases.map((c) => c.face.id))).toEqual(new Set(Object.keys(EXPECTED)))
  for (const { face, operation, name, path } of cases) {
    const method = operation.method.toLowerCase() as 'get' | 'put' | 'post' | 'delete'
    const jsonp = operation.jsonpCallback
    const url = jsonp === undefined ? path : `${path}?${jsonp}=onReply`
    // Control writes must declare JSON even without a body (docs/admin-api.md).
    const client = request(simulator.app)
    const sent = client[method](url)
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
    const response = operation.requestBody ? await sent.send({}) : await sent
    const expected = (EXPECTED[face.id] as (name: string) => { status: number; body: object })(name)
    expect({
      operation: operation.operationId,
      path,
      status: response.status,
      body: jsonp === undefined ? response.body : readJsonpFailure(response.text),
    }).toEqual({
      operation: operation.operationId,
      path,
      // The Click2Call guide's JSONP pages receive every failure in the function, with HTTP 200.
      ...(jsonp === undefined ? expected : { status: 200, body: expected.body }),
    })
  }
  expect(simulator.journal.violations.total).toBe(0)
  simulator.dispose()
})

test('answers GET /subscriptions/ with 400 naming subscriptionId, not with the subscription list', async () => {
  const simulator = startSimulator()
  const token = await tokenFor(simulator, ALICE)
  const response = await request(simulator.app)
    .get('/webrtc-events/vwip/subscriptions/')
    .set('authorization', `Bearer ${token}`)
  expect(response.status).toBe(400)
  expect(response.body).toEqual({
    status: 400,
    code: 'INVALID_ARGUMENT',
    message: expect.stringContaining('path parameter subscriptionId is missing or empty'),
  })
  const list = await request(simulator.app)
    .get('/webrtc-events/vwip/subscriptions')
    .set('authorization', `Bearer ${token}`)
  expect(list.status).toBe(200)
  simulator.dispose()
})

test('still treats a trailing slash after a full path as the same resource', async () => {
  const simulator = startSimulator({ registration: 'optional' })
  const token = await tokenFor(simulator, ALICE)
  const created = await request(simulator.app)
    .post('/webrtc-call-handling/vwip/sessions/')
    .set('authorization', `Bearer ${token}`)
    .set('registrationId', 'any-registration')
    .send({ originatorAddress: ALICE, receiverAddress: 'tel:+15550002', offer: { sdp: 'v=0\r\n' } })
  expect(created.status).toBe(201)
  const read = await request(simulator.app)
    .get(`/webrtc-call-handling/vwip/sessions/${created.body.mediaSessionId as string}/`)
    .set('authorization', `Bearer ${token}`)
  expect(read.status).toBe(200)
  simulator.dispose()
})

test('asks for a token before it looks at an empty path parameter', async () => {
  const simulator = startSimulator()
  const response = await request(simulator.app).delete('/webrtc-call-handling/vwip/sessions/')
  expect(response.status).toBe(401)
  expect(response.body.code).toBe('UNAUTHENTICATED')
  simulator.dispose()
})
