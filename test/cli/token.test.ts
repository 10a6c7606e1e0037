import { decodeJwt } from 'jose'
import { afterEach, beforeAll, expect, test, vi } from 'vitest'
import type { RunningSimulator } from '../../src/app/index.js'
import {
  assertBuilt,
  runCallsim,
  stopCallsimRuns,
  waitForOutput,
  type CallsimRun,
} from '../support/run-callsim.js'
import {
  runCliInProcess,
  startCliInProcess,
  stopCliSessions,
} from '../support/run-cli-in-process.js'
import { DEVICE_ID } from '../support/register-device.js'
import { sendJson } from '../support/send-json.js'
import { startSimulator } from '../support/start-simulator.js'

// The commands run in this process, as the bin runs them; the first token comes from the built
// bin, for its streams and exit code. On a busy 2-core machine a start can take many seconds.
vi.setConfig({ testTimeout: 60_000 })

const REGISTRATIONS = '/webrtc-registration/vwip/sessions'
const DEVICE = { deviceId: DEVICE_ID }

const servers: RunningSimulator[] = []
afterEach(async () => {
  await stopCallsimRuns()
  await stopCliSessions()
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

beforeAll(assertBuilt)

/** Runs `callsim <args>` to completion; no CALLSIM_TOKEN_SECRET unless given. */
function run(args: string[], env: Record<string, string> = {}): Promise<CallsimRun> {
  return runCliInProcess(args, { env })
}

/** A simulator listening on 127.0.0.1 with a free port: real HTTP, as a client would use it. */
async function listening(tokenSecret?: string) {
  const running = await startSimulator({ tokenSecret }).listen()
  servers.push(running)
  const call = (method: string, url: string, token: string, body?: object) =>
    sendJson(`${running.url}${url}`, method, token, body)
  return { running, call }
}

test('prints a token with the given subject, scope and lifetime that a running simulator accepts', async () => {
  const result = await runCallsim([
    'token',
    '--sub',
    'tel:+15550007',
    '--scope',
    'webrtc-registration:sessions:read',
    '--expires-in',
    '30m',
  ])
  expect(result.code).toBe(0)
  expect(result.stderr).toBe('')
  expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/)
  const token = result.stdout.trim()
  const claims = decodeJwt(token)
  expect(claims).toMatchObject({
    sub: 'tel:+15550007',
    scope: 'webrtc-registration:sessions:read',
    iss: 'callsim',
  })
  expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(1800)

  const { call } = await listening()
  const listed = await call('GET', `${REGISTRATIONS}?deviceId=${DEVICE.deviceId}`, token)
  expect(listed.status).toBe(200)
  expect(listed.headers.get('content-type')).toMatch(/^application\/json/)
  expect(await listed.json()).toEqual([])
  const denied = await call('POST', REGISTRATIONS, token, DEVICE)
  expect(denied.status).toBe(403)
  expect(await denied.json()).toEqual({
    status: 403,
    code: 'PERMISSION_DENIED',
    message:
      'Client does not have sufficient permissions to perform this action: the token lacks the scope webrtc-registration:sessions:create.',
  })
})

test('adds extra claims given as name=value, lists split on commas', async () => {
  const result = await run([
    'token',
    '--scope',
    'sbc:sessions:read',
    '--claim',
    'accessLevel=ADMIN',
    '--claim',
    'features=recording,transcripts',
  ])
  expect(result.code).toBe(0)
  expect(decodeJwt(result.stdout.trim())).toMatchObject({
    sub: 'tel:+15550001',
    accessLevel: 'ADMIN',
    features: ['recording', 'transcripts'],
  })
})

test('signs with --secret or CALLSIM_TOKEN_SECRET, and a simulator with another secret refuses it', async () => {
  const flag = (
    await run(['token', '--scope', 'webrtc-registration:sessions:read', '--secret', 'team-secret'])
  ).stdout.trim()
  const fromEnv = (
    await run(['token', '--scope', 'webrtc-registration:sessions:read'], {
      CALLSIM_TOKEN_SECRET: 'team-secret',
    })
  ).stdout.trim()
  const url = `${REGISTRATIONS}?deviceId=${DEVICE.deviceId}`
  const team = await listening('team-secret')
  expect((await team.call('GET', url, flag)).status).toBe(200)
  expect((await team.call('GET', url, fromEnv)).status).toBe(200)
  const defaults = await listening()
  const refused = await defaults.call('GET', url, flag)
  expect(refused.status).toBe(401)
  expect(await refused.json()).toEqual({
    status: 401,
    code: 'UNAUTHENTICATED',
    message:
      'Request not authenticated: the token signature is invalid (was it signed with another secret?). A new authentication is required.',
  })
})

test('refuses a subject that is no tel: or sip: address, and a bad lifetime', async () => {
  const badSub = await run(['token', '--sub', 'alice', '--scope', 'x'])
  expect(badSub.code).toBe(2)
  expect(badSub.stdout).toBe('')
  expect(badSub.stderr).toBe(
    'error: --sub must be a tel: or sip: address, e.g. tel:+15550001; got "alice".\n' +
      "Run 'callsim token --help' to see every option.\n",
  )
  const badLifetime = await run(['token', '--scope', 'x', '--expires-in', 'soon'])
  expect(badLifetime.code).toBe(2)
  expect(badLifetime.stdout).toBe('')
  expect(badLifetime.stderr).toMatch(/--expires-in.*"soon" is not a duration/)
  const noScope = await run(['token'])
  expect(noScope.code).toBe(2)
  expect(noScope.stderr).toMatch(/--scope/)
})

/** Starts `callsim serve` on a free port and resolves once it has printed its token. */
async function serve(args: string[]): Promise<{ url: string; token: string; output: string }> {
  const run = startCliInProcess(['serve', '--port', '0', '--log-level', 'silent', ...args])
  const [, url = ''] = await waitForOutput(run, /listening on (http:\/\/127\.0\.0\.1:\d+)/)
  // The blank line after the token ends it and comes before the registration hint.
  const [, token = ''] = await waitForOutput(run, /export TOKEN=(\S+)\n\n/)
  return { url, token, output: run.stdout() }
}

test('`callsim serve` prints a ready-to-use token and how to register before calling', async () => {
  const { url, token, output } = await serve(['--clock', 'virtual', '--seed', '7'])
  expect(output).toContain(`A token for tel:+15550001, valid 24h, with every scope:`)
  expect(output).toContain('New calls need the registrationId of a registered device')
  const registered = await sendJson(`${url}${REGISTRATIONS}`, 'POST', token, DEVICE)
  expect(registered.status).toBe(201)
  const { registrationId } = (await registered.json()) as { registrationId: string }
  const created = await fetch(`${url}/webrtc-call-handling/vwip/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      registrationId,
    },
    body: JSON.stringify({
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      offer: { sdp: 'v=0\r\n' },
    }),
  })
  expect(created.status).toBe(201)
})

test('`callsim serve --registration optional` accepts any registrationId and prints no registration hint', async () => {
  const { url, token, output } = await serve(['--clock', 'virtual', '--registration', 'optional'])
  expect(output).not.toContain('registrationId')
  const created = await fetch(`${url}/webrtc-call-handling/vwip/sessions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      registrationId: 'reg-1',
    },
    body: JSON.stringify({
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      offer: { sdp: 'v=0\r\n' },
    }),
  })
  expect(created.status).toBe(201)
})
