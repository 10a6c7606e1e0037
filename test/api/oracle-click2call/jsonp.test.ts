import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Response } from 'supertest'
import { expect, test } from 'vitest'
import type { SimulatorOptions } from '../../../src/app/index.js'
import { advance } from '../../support/start-simulator.js'
import { C2C, SALES, T0, UUID, VISITOR, setup } from './setup.js'

/** A website's page, as the guide's JSONP examples use the API: GETs that a <script> element sends. */
async function jsonpSetup(overrides: Partial<SimulatorOptions> = {}) {
  const context = await setup(overrides)
  const { http, tokens } = context
  const query = (params: Record<string, string | number | boolean>) =>
    new URLSearchParams(
      Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)])),
    ).toString()
  const get = (url: string) => http.get(url).set('x-correlator', 'c2c-jsonp-1')
  return {
    ...context,
    query,
    startJsonp: (params: Record<string, string | number | boolean>, phone = VISITOR) =>
      get(
        `${C2C}/sales/${encodeURIComponent(phone)}/start?${query({ access_token: tokens.website, ...params })}`,
      ),
    statusJsonp: (sessionId: string, callback = 'onStatus', token = tokens.website) =>
      get(`${C2C}/${sessionId}/status?${query({ callback, access_token: token })}`),
    endJsonp: (sessionId: string, callback = 'onEnd', token = tokens.website) =>
      get(`${C2C}/${sessionId}/end?${query({ callback, access_token: token })}`),
  }
}

/** The argument of `callback(...)` in a JSONP reply, after checking the reply is one. */
function jsonpArgument(response: Response, callback: string): Record<string, unknown> {
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toBe('application/javascript; charset=utf-8')
  expect(response.headers['x-content-type-options']).toBe('nosniff')
  expect(response.headers['cache-control']).toBe('no-store')
  const prefix = `${callback}(`
  expect(response.text.startsWith(prefix) && response.text.endsWith(');')).toBe(true)
  return JSON.parse(response.text.slice(prefix.length, -2)) as Record<string, unknown>
}

test('starts, polls and ends a call through JSONP, every answer a call of the page function', async () => {
  const { simulator, startJsonp, statusJsonp, endJsonp, calls } = await jsonpSetup()
  const started = await startJsonp({ callback: 'c2c.onStart', delay: 5 })
  expect(started.headers['x-correlator']).toBe('c2c-jsonp-1')
  const { sessionId } = jsonpArgument(started, 'c2c.onStart') as { sessionId: string }
  expect(sessionId).toMatch(UUID)
  expect(started.text).toBe(`c2c.onStart({"sessionId":"${sessionId}"});`)

  expect(jsonpArgument(await statusJsonp(sessionId), 'onStatus')).toEqual({
    sessionId,
    callState: 'scheduled',
    time: T0,
    scheduledTime: T0 + 5,
    more: 'no',
    hasChanged: 'yes',
  })
  advance(simulator, 5000 + 4000)
  expect(jsonpArgument(await statusJsonp(sessionId), 'onStatus')).toEqual({
    sessionId,
    callState: 'connected',
    time: T0 + 9,
    more: 'yes',
    hasChanged: 'yes',
  })
  const ended = await endJsonp(sessionId, 'onEnd')
  expect(ended.text).toBe('onEnd({"callState":"ending"});')
  expect(calls()[0]).toMatchObject({ status: 'Terminated', endedBy: 'A', endedReason: 'BYE' })
  expect(jsonpArgument(await statusJsonp(sessionId), 'onStatus')).toMatchObject({
    callState: 'disconnected',
    more: 'no',
    hasChanged: 'yes',
  })
  // A second end is refused as on the JSON interface, but it still reaches the page's function.
  expect(jsonpArgument(await endJsonp(sessionId, 'onEnd'), 'onEnd')).toEqual({
    statuscode: 403,
    reason: `The call is already ending or has ended: session ${sessionId} cannot be ended again.`,
  })
})

test('places the same network call as startCall, with the start parameters from the query', async () => {
  const { startJsonp, calls, simulator } = await jsonpSetup()
  const started = await startJsonp({
    callback: 'cb',
    userExtension: '1,,234#',
    visitorId: 'visitor-42',
    referrerUrl: 'https://shop.example.com/checkout',
    language: 'da',
    var1: 'basket 3 items',
    var10: 'gold',
    authorizeUrl: 'https://shop.example.com/authorize',
    authEncrypted: false,
    confirmAcceptance: true,
  })
  jsonpArgument(started, 'cb')
  expect(calls()).toHaveLength(1)
  expect(calls()[0]).toMatchObject({
    originator: { address: SALES, name: 'Sales' },
    receiver: { address: `tel:${VISITOR}` },
    owner: SALES,
    status: 'Initial',
  })
  // The journal shows the request, but never the token that came in the URL.
  const entry = simulator.control.journal(1).items[0] as { path: string } | undefined
  expect(entry).toMatchObject({ operationId: 'startCallJsonp', status: 200 })
  expect(entry?.path).toContain('access_token=REDACTED')
  expect(entry?.path).not.toMatch(/access_token=ey/)
})

test('keeps the JSON interface for a status request without a callback', async () => {
  const { start, status } = await jsonpSetup()
  const sessionId = await start()
  const response = await status(sessionId)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.body).toMatchObject({ sessionId, hasChanged: 'yes' })
})

test('refuses a callback that is not a plain dotted identifier with a JSON 400 that never echoes it', async () => {
  const { http, query, tokens, start, calls } = await jsonpSetup()
  const sessionId = await start()
  const hostile = [
    'alert(1)//',
    'a..b',
    '1abc',
    'page.',
    'x'.repeat(129),
    '<script>',
    'a b',
    'ünïcode',
    '',
  ]
  for (const callback of hostile) {
    for (const url of [
      `${C2C}/sales/${VISITOR}/start?${query({ callback, access_token: tokens.website })}`,
      `${C2C}/${sessionId}/status?${query({ callback, access_token: tokens.website })}`,
      `${C2C}/${sessionId}/end?${query({ callback, access_token: tokens.website })}`,
    ]) {
      const response = await http.get(url)
      expect(response.status, `${callback} on ${url}`).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.body.message).toMatch(
        /^Invalid request parameters: query parameter callback must be a JavaScript identifier/,
      )
      if (callback !== '') expect(response.text).not.toContain(callback.slice(0, 12))
    }
  }
  // A repeated callback is refused too, and so is a start or end without one.
  expect((await http.get(`${C2C}/${sessionId}/status?callback=a&callback=b`)).status).toBe(400)
  const missing = await http.get(`${C2C}/sales/${VISITOR}/start?access_token=${tokens.website}`)
  expect(missing.status).toBe(400)
  expect(missing.body.message).toMatch(/query parameter callback is required/)
  expect((await http.get(`${C2C}/${sessionId}/end`)).status).toBe(400)
  // Nothing was placed or ended by any of them.
  expect(calls()).toHaveLength(1)
  expect(calls()[0]).toMatchObject({ status: 'Initial' })
})

test('delivers authentication failures to the page function with their status in statuscode', async () => {
  const { http, query, tokens, token, start, calls } = await jsonpSetup()
  const sessionId = await start()
  const call = async (url: string) => jsonpArgument(await http.get(url), 'cb')
  expect(await call(`${C2C}/sales/${VISITOR}/start?callback=cb`)).toEqual({
    statuscode: 401,
    reason: expect.stringMatching(
      /^A valid bearer token is required: the Authorization header or the access_token query parameter is missing/,
    ),
  })
  expect(
    await call(`${C2C}/${sessionId}/status?${query({ callback: 'cb', access_token: 'x.y.z' })}`),
  ).toMatchObject({
    statuscode: 401,
  })
  const readOnly = await token('sip:website@shop.example.com', 'click2call:calls:read')
  expect(
    await call(`${C2C}/${sessionId}/end?${query({ callback: 'cb', access_token: readOnly })}`),
  ).toEqual({
    statuscode: 403,
    reason: 'Permission denied: the token lacks the scope click2call:calls:delete.',
  })
  // RFC 6750 §2: one way of sending the token per request.
  const both = await http
    .get(`${C2C}/${sessionId}/status?${query({ callback: 'cb', access_token: tokens.website })}`)
    .set('authorization', `Bearer ${tokens.website}`)
  expect(jsonpArgument(both, 'cb')).toMatchObject({
    statuscode: 400,
    reason: expect.stringMatching(/both in the Authorization header and in the access_token/),
  })
  // The header alone is fine for a JSONP request too.
  const header = await http
    .get(`${C2C}/${sessionId}/status?callback=cb`)
    .set('authorization', `Bearer ${tokens.website}`)
  expect(jsonpArgument(header, 'cb')).toMatchObject({ sessionId, callState: 'initiated' })
  expect(calls()[0]).toMatchObject({ status: 'Initial' })
})

test('answers another subscriber as for an unknown session, and leaves the call up', async () => {
  const { startJsonp, statusJsonp, endJsonp, tokens, calls } = await jsonpSetup()
  const { sessionId } = jsonpArgument(await startJsonp({ callback: 'cb' }), 'cb') as {
    sessionId: string
  }
  for (const response of [
    await statusJsonp(sessionId, 'cb', tokens.monitor),
    await endJsonp(sessionId, 'cb', tokens.monitor),
  ]) {
    expect(jsonpArgument(response, 'cb')).toEqual({
      statuscode: 404,
      reason: `Call session does not exist: "${sessionId}" is unknown (or it ended and passed its retention period).`,
    })
  }
  expect(calls()[0]).toMatchObject({ status: 'Initial' })
})

test('delivers invalid start parameters as the statuses of the guide: 400 and 404', async () => {
  const { startJsonp, calls } = await jsonpSetup()
  const argumentOf = async (params: Record<string, string | number>, phone?: string) =>
    jsonpArgument(await startJsonp({ callback: 'cb', ...params }, phone), 'cb')
  expect(await argumentOf({ delay: -1 })).toMatchObject({
    statuscode: 400,
    reason: expect.stringMatching(/^Invalid request parameters: .*delay/),
  })
  expect(await argumentOf({ userExtension: '12a' })).toMatchObject({ statuscode: 400 })
  expect(await argumentOf({ language: 'danish' })).toMatchObject({ statuscode: 400 })
  expect(await argumentOf({}, '12')).toMatchObject({
    statuscode: 404,
    reason: expect.stringMatching(/^Invalid phone number/),
  })
  expect(calls()).toEqual([])
})

test('applies magic numbers and fault plans to the JSONP operations', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-c2c-jsonp-'))
  try {
    writeFileSync(
      path.join(dir, 'c2c-jsonp-refusals.yaml'),
      [
        'description: The contact centre refuses JSONP starts.',
        'faults:',
        '  - operations: [startCallJsonp]',
        '    action: { type: respond, status: 403, code: BLOCKED, message: Pre-call authorisation failed (injected). }',
        '',
      ].join('\n'),
    )
    const { simulator, http, query, tokens, startJsonp, statusJsonp, calls } = await jsonpSetup({
      scenarioPaths: [dir],
    })
    // tel:+15550100486 is the busy-callee magic number.
    const { sessionId } = jsonpArgument(
      await startJsonp({ callback: 'cb' }, '+15550100486'),
      'cb',
    ) as { sessionId: string }
    advance(simulator, 500)
    expect(jsonpArgument(await statusJsonp(sessionId), 'onStatus')).toMatchObject({
      callState: 'disconnected',
    })
    expect(calls()[0]).toMatchObject({ scenarioId: 'busy-callee', endedReason: '486' })
    const refused = await http
      .get(
        `${C2C}/sales/${VISITOR}/start?${query({ callback: 'cb', access_token: tokens.website })}`,
      )
      .set('x-callsim-scenario', 'c2c-jsonp-refusals')
    expect(jsonpArgument(refused, 'cb')).toEqual({
      statuscode: 403,
      reason: 'Pre-call authorisation failed (injected).',
    })
    expect(calls()).toHaveLength(1)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
