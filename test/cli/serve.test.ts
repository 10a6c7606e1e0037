import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import {
  assertBuilt,
  startCallsim,
  stopCallsimRuns,
  waitForOutput,
} from '../support/run-callsim.js'
import { startCliInProcess, stopCliSessions } from '../support/run-cli-in-process.js'

// `callsim serve` as the bin runs it, in this process; stopping on SIGTERM and refusing a broken
// spec go through the built dist/bin/callsim.js in a child process, for its signals, streams and
// exit codes. `npm test` builds first; for a local run of this file alone, run `npm run build`.

const WAIT_MS = 20_000
const DEVICE_ID = '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11'

const directory = mkdtempSync(path.join(tmpdir(), 'callsim-cli-'))

beforeAll(assertBuilt)
afterEach(async () => {
  await stopCallsimRuns()
  await stopCliSessions()
})
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const callsim = (args: readonly string[], env: Record<string, string> = {}) =>
  startCliInProcess(args, { env })

async function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${WAIT_MS} ms`)), WAIT_MS)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const SERVE = [
  'serve',
  '--port',
  '0',
  '--host',
  '127.0.0.1',
  '--seed',
  '7',
  '--clock',
  'virtual',
  '--log-level',
  'silent',
]

test('prints its URL, the mounted faces and a ready-to-use token, and answers a call with that token', async () => {
  const run = callsim(SERVE)
  const [, url] = await waitForOutput(
    run,
    /^callsim listening on (http:\/\/127\.0\.0\.1:\d+) \(seed 7, virtual clock\)$/m,
  )
  const [, token] = await waitForOutput(run, /^ {2}export TOKEN=(\S+)$/m)
  expect(run.stdout()).toMatch(
    /^ {2}camara-call-handling\s+http:\/\/127\.0\.0\.1:\d+\/webrtc-call-handling\/vwip {2}\(spec\/camara\/webrtc-call-handling\.yaml\)$/m,
  )
  expect(run.stdout()).toMatch(
    /^ {2}admin\s+http:\/\/127\.0\.0\.1:\d+\/_callsim {2}\(spec\/callsim-admin\.yaml\)$/m,
  )
  expect(run.stdout()).toContain('A token for tel:+15550001, valid 24h, with every scope:')

  const auth = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'x-correlator': 'cli-1',
  }
  const registration = await fetch(`${url}/webrtc-registration/vwip/sessions`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ deviceId: DEVICE_ID }),
    signal: AbortSignal.timeout(WAIT_MS),
  })
  expect(registration.status).toBe(201)
  const { registrationId } = (await registration.json()) as { registrationId: string }
  const created = await fetch(`${url}/webrtc-call-handling/vwip/sessions`, {
    method: 'POST',
    headers: { ...auth, registrationId },
    body: JSON.stringify({
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      offer: { sdp: 'v=0\r\n' },
    }),
    signal: AbortSignal.timeout(WAIT_MS),
  })
  expect(created.status).toBe(201)
  expect(created.headers.get('content-type')).toBe('application/json')
  expect(created.headers.get('x-correlator')).toBe('cli-1')
  expect(await created.json()).toMatchObject({
    originatorAddress: 'tel:+15550001',
    status: 'Initial',
  })
})

test('stops cleanly with exit code 0 on SIGTERM', async () => {
  const run = startCallsim(SERVE)
  const [, url] = await waitForOutput(run, /listening on (\S+)/)
  run.child.kill('SIGTERM')
  expect(await within(run.exited, 'stopping on SIGTERM')).toBe(0)
  await expect(
    fetch(`${url}/_callsim/clock`, { signal: AbortSignal.timeout(WAIT_MS) }),
  ).rejects.toThrow()
})

test('exits 1 naming the file, line and problem of a broken --spec', async () => {
  const broken = path.join(directory, 'broken.yaml')
  writeFileSync(
    broken,
    "openapi: 3.0.3\ninfo:\n  title: broken\n  version: '1'\npaths:\n  /sessions: [\n",
  )
  const run = startCallsim(['serve', '--port', '0', '--log-level', 'silent', '--spec', broken])
  expect(await within(run.exited, 'refusing a broken spec')).toBe(1)
  expect(run.stderr()).toMatch(
    /^callsim could not start:\n {2}- \S*broken\.yaml:7: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented/,
  )
  expect(run.stderr()).not.toMatch(/\bat \S+ \(/)
  expect(run.stdout()).not.toContain('listening')
})

test('exits 1 for a --spec that is not OpenAPI, and for one that does not exist', async () => {
  const notOpenApi = path.join(directory, 'config.yaml')
  writeFileSync(notOpenApi, 'name: my-service\n')
  const wrongKind = callsim(['serve', '--port', '0', '--log-level', 'silent', '--spec', notOpenApi])
  expect(await within(wrongKind.done, 'refusing a non-OpenAPI spec')).toBe(1)
  expect(wrongKind.stderr()).toContain(
    'config.yaml:1 at /openapi: not an OpenAPI 3 document: the "openapi" version field is missing',
  )
  const missing = callsim([
    'serve',
    '--port',
    '0',
    '--log-level',
    'silent',
    '--spec',
    path.join(directory, 'nope.yaml'),
  ])
  expect(await within(missing.done, 'refusing a missing spec')).toBe(1)
  expect(missing.stderr()).toMatch(/Failed to read \S*nope\.yaml: no such file\./)
})

test('refuses a bad option value in one line naming the rule, points to --help and exits 2', async () => {
  const run = callsim(['serve', '--port', 'eighty'])
  expect(await within(run.done, 'refusing --port eighty')).toBe(2)
  expect(run.stderr()).toBe(
    "error: option '-p, --port <port>' argument 'eighty' is invalid. expected a whole number from 0 to 65535.\n" +
      "Run 'callsim serve --help' to see every option.\n",
  )
})

test('treats an empty CALLSIM_TOKEN_SECRET as unset instead of crashing on a zero-length key', async () => {
  const run = callsim(SERVE, { CALLSIM_TOKEN_SECRET: '' })
  const [, url] = await waitForOutput(run, /listening on (\S+)/)
  const [, token] = await waitForOutput(run, /export TOKEN=(\S+)/)
  const lookup = await fetch(`${url}/webrtc-call-handling/vwip/sessions/UNKNOWN`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(WAIT_MS),
  })
  expect(lookup.status).toBe(404)
})
