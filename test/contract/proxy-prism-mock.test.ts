import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createProxy, type RunningProxy } from '../../src/app/index.js'
import {
  PRISM_STARTUP_TIMEOUT_MS,
  startPrism,
  stopPrismServer,
  type PrismServer,
} from '../support/prism-proxy.js'
import { testCompileCache } from '../support/compile-cache.js'
import { send } from '../support/start-proxy.js'

// callsim proxy in front of a provider that is not callsim: Prism 5.14 `mock` of the official
// r2.2 call handling file, which answers from the file's examples at the root path.

const SPEC = fileURLToPath(
  new URL('../../spec/releases/r2.2/webrtc-call-handling.yaml', import.meta.url),
)
const BASE = '/webrtc-call-handling/v0.3'
const HEADERS = {
  'x-correlator': 'prism-mock-1',
  registrationId: '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11',
}
const NEW_SESSION = {
  originatorAddress: 'tel:+15550001',
  receiverAddress: 'tel:+15550002',
  offer: { sdp: 'v=0\r\n' },
}

let prism: PrismServer | undefined
let proxy: RunningProxy | undefined

beforeAll(async () => {
  prism = await startPrism({ command: 'mock', document: SPEC })
  proxy = await createProxy(
    {
      upstream: prism.url,
      port: 0,
      logLevel: 'silent',
      specs: [SPEC],
      // Prism mocks the paths of the file at its root, not under the servers' base path.
      basePaths: { 'camara-call-handling': '' },
    },
    testCompileCache(),
  ).listen()
}, PRISM_STARTUP_TIMEOUT_MS + 10_000)

afterAll(async () => {
  await proxy?.close()
  if (prism) await stopPrismServer(prism)
}, 20_000)

const urls = () => ({ proxy: proxy?.url ?? '', prism: prism?.url ?? '' })

const violations = async () =>
  (await send(urls().proxy, 'GET', '/_callsim/violations')).body.violations as {
    side: string
    direction: string
    operationId: string
    keyword: string
  }[]

test('passes the mock’s answers through unchanged and finds nothing wrong with them', async () => {
  const viaProxy = await send(urls().proxy, 'GET', `${BASE}/sessions/abc`, {
    token: 'any',
    headers: HEADERS,
  })
  const direct = await send(urls().prism, 'GET', '/sessions/abc', {
    token: 'any',
    headers: HEADERS,
  })
  expect(viaProxy.status).toBe(200)
  expect(viaProxy.text).toBe(direct.text)
  expect(viaProxy.headers.get('x-callsim-violations')).toBeNull()
  const created = await send(urls().proxy, 'POST', `${BASE}/sessions`, {
    token: 'any',
    headers: HEADERS,
    body: NEW_SESSION,
  })
  expect(created.status).toBe(201)
  expect(created.headers.get('x-callsim-violations')).toBeNull()
  expect(await violations()).toEqual([])
})

test('names the mock as the provider at fault when it answers outside the r2.2 file', async () => {
  // Asked for a status the file does not declare, Prism answers its own problem+json 404.
  const answer = await send(urls().proxy, 'GET', `${BASE}/sessions/abc`, {
    token: 'any',
    headers: { ...HEADERS, prefer: 'code=418' },
  })
  expect(answer.status).toBe(404)
  expect(answer.body).toMatchObject({
    detail: 'Requested status code 418 is not defined in the document.',
  })
  expect(answer.headers.get('x-callsim-violations')).toBe('2; client=0; provider=2')
  const found = (await violations()).filter((v) => v.operationId === 'getSessionDetailsById')
  expect(found).toMatchObject([
    { side: 'provider', direction: 'response', keyword: 'required' },
    { side: 'provider', direction: 'response', keyword: 'required' },
  ])
})

test('names the client when its request breaks the r2.2 file, whatever the mock answers', async () => {
  const answer = await send(urls().proxy, 'POST', `${BASE}/sessions`, {
    token: 'any',
    headers: HEADERS,
    body: { ...NEW_SESSION, originatorAddress: 'not a number' },
  })
  expect(answer.status).toBe(400)
  expect(answer.headers.get('x-callsim-violations')).toBe('1; client=1; provider=0')
})
