import { afterEach, beforeAll, expect, test } from 'vitest'
import {
  assertBuilt,
  startCallsim,
  stopCallsimRuns,
  waitForOutput,
} from '../support/run-callsim.js'
import {
  runCliInProcess,
  startCliInProcess,
  stopCliSessions,
} from '../support/run-cli-in-process.js'

// `callsim proxy` as a user starts it: in front of `callsim serve`, from the terminal. The proxy
// whose log the test reads is the built bin (its log goes to the process's stdout); the rest
// run in this process, as the bin runs them.

beforeAll(assertBuilt)
afterEach(async () => {
  await stopCallsimRuns()
  await stopCliSessions()
})

const BASE = '/webrtc-call-handling/vwip'

test('prints where each face is forwarded, then passes a call through and names a client violation', async () => {
  const serve = startCliInProcess([
    ...['serve', '--port', '0', '--registration', 'optional', '--seed', '1'],
    ...['--log-level', 'silent'],
  ])
  const [, upstream] = await waitForOutput(serve, /listening on (\S+)/)
  const [, token] = await waitForOutput(serve, /export TOKEN=(\S+)/)
  const proxy = startCallsim([
    'proxy',
    '--upstream',
    upstream as string,
    '--port',
    '0',
    '--log-format',
    'json',
  ])
  const [, url] = await waitForOutput(proxy, /callsim proxy listening on (\S+), forwarding to/)
  expect(proxy.stdout()).toContain(`${BASE} -> ${upstream as string}${BASE}`)
  expect(proxy.stdout()).toContain('Event sinks pass through untouched')
  const post = (body: object) =>
    fetch(`${url as string}${BASE}/sessions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token as string}`,
        'content-type': 'application/json',
        registrationId: '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11',
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    })
  const session = { receiverAddress: 'tel:+15550002', offer: { sdp: 'v=0\r\n' } }
  const created = await post({ originatorAddress: 'tel:+15550001', ...session })
  expect(created.status).toBe(201)
  const refused = await post({ originatorAddress: 'not a number', ...session })
  expect(refused.status).toBe(400)
  expect(refused.headers.get('x-callsim-violations')).toBe('1; client=1; provider=0')
  await waitForOutput(proxy, /"level":40.*client broke the spec: request body\.originatorAddress/)
}, 60_000)

test('refuses an upstream that is not an http URL, naming the option', async () => {
  const run = await runCliInProcess(['proxy', '--upstream', 'ftp://example.com', '--port', '0'])
  expect(run.code).toBe(1)
  expect(run.stderr).toContain('--upstream ftp://example.com is not an http or https URL')
}, 30_000)

test('refuses to start without --upstream, with exit code 2', async () => {
  const run = await runCliInProcess(['proxy'])
  expect(run.code).toBe(2)
  expect(run.stderr).toContain("required option '--upstream <url>' not specified")
}, 30_000)
