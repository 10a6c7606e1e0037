import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, expect, test } from 'vitest'
import type { ObservedExchange } from '../../src/scenario/index.js'
import { ALICE, BOB, tokenFor } from '../support/start-simulator.js'
import {
  freePort,
  send,
  startProxiedProvider,
  type ProxiedProvider,
} from '../support/start-proxy.js'

// callsim proxy in front of a second callsim that plays the provider: every exchange is passed
// through unchanged, judged against the spec on both sides, journaled and observed.

const BASE = '/webrtc-call-handling/vwip'
const NEW_SESSION = {
  originatorAddress: ALICE,
  receiverAddress: BOB,
  offer: { sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\n' },
}

// A provider that answers outside its spec when a request names this scenario: createSession
// gets a 418 no release declares, getSessionDetailsById a body that is not JSON.
const directory = mkdtempSync(path.join(tmpdir(), 'callsim-proxy-'))
writeFileSync(
  path.join(directory, 'off-spec.yaml'),
  [
    'description: Answers outside the spec, as a misbehaving provider would.',
    'faults:',
    '  - operations: [createSession]',
    '    undeclared: true',
    '    action: { type: respond, status: 418, code: TEAPOT, message: not in any spec }',
    '  - operations: [getSessionDetailsById]',
    '    action: { type: malformed-body, status: 200 }',
    '',
  ].join('\n'),
)
writeFileSync(
  path.join(directory, 'hung-provider.yaml'),
  [
    'description: Never answers createSession (its delay waits on a virtual clock nobody moves).',
    'faults:',
    '  - operations: [createSession]',
    '    delay: { type: fixed, duration: 1h }',
    '',
  ].join('\n'),
)

const started: ProxiedProvider[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()))
})
afterAll(() => rmSync(directory, { recursive: true, force: true }))

async function setup(...args: Parameters<typeof startProxiedProvider>) {
  const proxied = await startProxiedProvider(
    { scenarioPaths: [directory], ...args[0] },
    args[1] ?? {},
  )
  started.push(proxied)
  const token = await tokenFor(proxied.provider, ALICE)
  const headers = (extra: Record<string, string> = {}) => ({
    'x-correlator': 'proxy-test-1',
    registrationId: randomUUID(),
    ...extra,
  })
  return { ...proxied, token, headers }
}

const violationsOf = async (url: string) =>
  (await send(url, 'GET', '/_callsim/violations')).body as {
    total: number
    violations: { side: string; direction: string; keyword: string; path: string }[]
  }

test('forwards a call to the provider and passes its answers back byte for byte', async () => {
  const { url, providerRunning, provider, token, headers, observations } = await setup()
  const created = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers(),
    body: NEW_SESSION,
  })
  expect(created.status, created.text).toBe(201)
  expect(created.headers.get('x-correlator')).toBe('proxy-test-1')
  expect(created.headers.get('x-callsim-violations')).toBeNull()
  const id = created.body.mediaSessionId as string
  // The provider saw the app's token, correlator and body: the call is its own.
  expect(provider.network.getCall(id)?.originator.address).toBe(ALICE)
  const viaProxy = await send(url, 'GET', `${BASE}/sessions/${id}`, { token, headers: headers() })
  const direct = await send(providerRunning.url, 'GET', `${BASE}/sessions/${id}`, {
    token,
    headers: headers(),
  })
  expect(viaProxy.status).toBe(200)
  expect(viaProxy.text).toBe(direct.text)
  expect(viaProxy.headers.get('content-type')).toBe(direct.headers.get('content-type'))
  expect(await violationsOf(url)).toEqual({ total: 0, violations: [] })
  const journal = (await send(url, 'GET', '/_callsim/journal')).body as {
    entries: { operationId?: string; status: number; correlator?: string }[]
  }
  expect(journal.entries.slice(0, 2)).toMatchObject([
    { operationId: 'createSession', status: 201, correlator: 'proxy-test-1' },
    { operationId: 'getSessionDetailsById', status: 200 },
  ])
  expect(observations).toHaveLength(2)
})

test('passes the provider’s own refusal of a missing token through unchanged', async () => {
  const { url, headers } = await setup()
  const refused = await send(url, 'GET', `${BASE}/sessions/${randomUUID()}`, {
    headers: headers(),
  })
  expect(refused.status).toBe(401)
  expect(refused.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' })
  expect(refused.headers.get('x-callsim-violations')).toBeNull()
})

test('names the provider as the side at fault when its answer breaks the spec', async () => {
  const { url, token, headers } = await setup()
  const teapot = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers({ 'x-callsim-scenario': 'off-spec' }),
    body: NEW_SESSION,
  })
  // Passed on as the provider sent it, with the verdict beside it.
  expect(teapot.status).toBe(418)
  expect(teapot.body).toMatchObject({ status: 418, code: 'TEAPOT' })
  expect(teapot.headers.get('x-callsim-violations')).toBe('1; client=0; provider=1')
  const broken = await send(url, 'GET', `${BASE}/sessions/${randomUUID()}`, {
    token,
    headers: headers({ 'x-callsim-scenario': 'off-spec' }),
  })
  expect(broken.status).toBe(200)
  expect(broken.headers.get('x-callsim-violations')).toBe('1; client=0; provider=1')
  const { violations } = await violationsOf(url)
  expect(violations).toMatchObject([
    { side: 'provider', direction: 'response', keyword: 'status', operationId: 'createSession' },
    { side: 'provider', direction: 'response', keyword: 'json', path: 'body' },
  ])
})

test('names the client as the side at fault when its request breaks the spec', async () => {
  const { url, token, headers } = await setup()
  const answer = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers(),
    body: { ...NEW_SESSION, receiverAddress: 'not a number' },
  })
  // The provider refuses it as the spec says; the proxy blames the request, not the answer.
  expect(answer.status).toBe(400)
  expect(answer.headers.get('x-callsim-violations')).toBe('1; client=1; provider=0')
  const { violations } = await violationsOf(url)
  expect(violations).toMatchObject([
    { side: 'client', direction: 'request', path: 'body.receiverAddress' },
  ])
})

test('with --strict answers 502 listing the provider’s violations instead of its answer', async () => {
  const { url, token, headers } = await setup({}, { strict: true })
  const answer = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers({ 'x-callsim-scenario': 'off-spec' }),
    body: NEW_SESSION,
  })
  expect(answer.status).toBe(502)
  expect(answer.headers.get('x-correlator')).toBe('proxy-test-1')
  expect(answer.body).toMatchObject({
    status: 502,
    code: 'BAD_GATEWAY',
    violations: [{ side: 'provider', keyword: 'status', status: 418 }],
  })
  expect(answer.body.message).toMatch(/provider answered createSession with 418/)
})

test('answers 502 BAD_GATEWAY when the provider cannot be reached', async () => {
  const closedPort = await freePort()
  const { url, token, headers } = await setup({}, { upstream: `http://127.0.0.1:${closedPort}` })
  const answer = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers(),
    body: NEW_SESSION,
  })
  expect(answer.status).toBe(502)
  expect(answer.body).toMatchObject({ status: 502, code: 'BAD_GATEWAY' })
  expect(answer.body.message).toMatch(
    /cannot be reached for POST http:\/\/127\.0\.0\.1:\d+\/webrtc-call-handling\/vwip\/sessions: ECONNREFUSED/,
  )
})

test('answers 504 TIMEOUT when the provider does not answer in time', async () => {
  const { url, token, headers } = await setup({}, { upstreamTimeoutMs: 200 })
  const answer = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers({ 'x-callsim-scenario': 'hung-provider' }),
    body: NEW_SESSION,
  })
  expect(answer.status).toBe(504)
  expect(answer.body).toMatchObject({ status: 504, code: 'TIMEOUT' })
  expect(answer.body.message).toMatch(/did not answer POST .* within 200 ms/)
})

test('refuses a body over the limit with 413 and never forwards it', async () => {
  const { url, token, headers, provider } = await setup({}, { bodyLimitBytes: 1024 })
  const answer = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers(),
    body: { ...NEW_SESSION, offer: { sdp: 'v=0\r\n'.padEnd(4096, 'a') } },
  })
  expect(answer.status).toBe(413)
  expect(answer.body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' })
  expect([...provider.network.allCalls()]).toHaveLength(0)
})

test('forwards a malformed body as it came and blames the client for it', async () => {
  const { url, token, headers } = await setup()
  const answer = await send(url, 'POST', `${BASE}/sessions`, {
    token,
    headers: headers(),
    raw: '{"originatorAddress": ',
  })
  expect(answer.status).toBe(400)
  expect(answer.body).toMatchObject({ code: 'INVALID_ARGUMENT' })
  expect(answer.headers.get('x-callsim-violations')).toBe('1; client=1; provider=0')
})

test('answers paths under no face itself, in the CAMARA error shape', async () => {
  const { url } = await setup()
  const answer = await send(url, 'GET', '/nowhere/at/all')
  expect(answer.status).toBe(404)
  expect(answer.body).toMatchObject({ status: 404, code: 'NOT_FOUND' })
  const control = await send(url, 'GET', '/_callsim/calls')
  expect(control.status).toBe(404)
})

test('hands one observation per exchange to its listener, with parsed bodies and lower-case headers', async () => {
  const { url, token, headers, observations } = await setup()
  const before = Date.now()
  await send(url, 'POST', `${BASE}/sessions?trace=1`, {
    token,
    headers: headers(),
    body: NEW_SESSION,
  })
  const [observed] = observations as ObservedExchange[]
  expect(observed).toMatchObject({
    kind: 'exchange',
    face: 'camara-call-handling',
    operationId: 'createSession',
    method: 'POST',
    path: `${BASE}/sessions?trace=1`,
    requestBody: NEW_SESSION,
    status: 201,
    responseBody: { status: 'Initial', originatorAddress: ALICE },
  })
  expect(observed?.requestHeaders).toMatchObject({
    authorization: `Bearer ${token}`,
    'x-correlator': 'proxy-test-1',
  })
  expect(observed?.responseHeaders['content-type']).toBe('application/json')
  expect(observed?.at).toBeGreaterThanOrEqual(before)
  expect(observed?.elapsedMs).toBeGreaterThan(0)
})
