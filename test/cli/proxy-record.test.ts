import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { DEVICE_ID, REGISTRATION_BASE } from '../support/register-device.js'
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
import { send } from '../support/start-proxy.js'
import { ALICE, BOB } from '../support/start-simulator.js'

// The whole promise of `--record`, as a user lives it: `callsim proxy --record` in front of a
// provider (a second callsim, on its system clock), an app placing calls through the proxy,
// then `callsim serve --scenarios` on the recording and `callsim run` replaying it. The
// recording proxy is the built bin, stopped by SIGINT as a user stops it; the other commands
// run in this process, as the bin runs them.
const SESSIONS = '/webrtc-call-handling/vwip/sessions'
const workspace = mkdtempSync(path.join(tmpdir(), 'callsim-proxy-record-'))

beforeAll(assertBuilt)
// The child lives for most of the test, which took about 50 s under the full suite's load.
const CHILD = { timeoutMs: 110_000 }
afterEach(async () => {
  await stopCallsimRuns()
  await stopCliSessions()
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

function writeProviderScenario(): string {
  const dir = mkdtempSync(path.join(workspace, 'provider-'))
  writeFileSync(
    path.join(dir, 'quick-answer.yaml'),
    [
      'description: The callee rings at once and answers 1.3 s after the call is placed.',
      'match:',
      "  remoteAddress: { matches: '^(tel:)?\\+15550002$' }",
      'lifecycle:',
      // Each status lasts several of the app's 150 ms polls, so a loaded host still sees each one.
      '  - { after: 100ms, status: InProgress }',
      '  - { after: 600ms, status: Ringing }',
      '  - { after: 600ms, status: Connected }',
      '',
    ].join('\n'),
  )
  return dir
}

async function tokenFrom(providerUrl: string, sub: string): Promise<string> {
  const issued = await send(providerUrl, 'POST', '/_callsim/tokens', { body: { sub } })
  expect(issued.status).toBe(201)
  return issued.body.token as string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An app's session through the proxy: a call polled until answered, hung up, then a refused call. */
async function placeCalls(proxyUrl: string, providerUrl: string) {
  const alice = await tokenFrom(providerUrl, ALICE)
  const bob = await tokenFrom(providerUrl, BOB)
  const registered = await send(proxyUrl, 'POST', `${REGISTRATION_BASE}/sessions`, {
    token: alice,
    body: { deviceId: DEVICE_ID },
  })
  expect(registered.status).toBe(201)
  const registrationId = registered.body.registrationId as string
  const created = await send(proxyUrl, 'POST', SESSIONS, {
    token: alice,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  expect(created.status).toBe(201)
  const id = created.body.mediaSessionId as string
  const seen: string[] = []
  for (let polls = 0; polls < 40 && seen.at(-1) !== 'Connected'; polls += 1) {
    await sleep(150)
    const read = await send(proxyUrl, 'GET', `${SESSIONS}/${id}`, { token: alice })
    seen.push(read.body.status as string)
  }
  expect(seen.at(-1)).toBe('Connected')
  await sleep(300)
  expect((await send(proxyUrl, 'DELETE', `${SESSIONS}/${id}`, { token: alice })).status).toBe(204)
  expect((await send(proxyUrl, 'GET', `${SESSIONS}/${id}`, { token: alice })).body.status).toBe(
    'Terminated',
  )
  // Bob's token, Alice as the originator: the provider refuses with 403 INVALID_TOKEN_CONTEXT.
  const refused = await send(proxyUrl, 'POST', SESSIONS, {
    token: bob,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  expect(refused.body.code).toBe('INVALID_TOKEN_CONTEXT')
  return { tokens: [alice, bob] }
}

test('proxy --record writes a session that serve --scenarios serves and run replays, redacted', async () => {
  const recording = path.join(workspace, 'recording')
  const provider = startCliInProcess([
    ...['serve', '--port', '0', '--seed', '7', '--log-level', 'silent'],
    ...['--scenarios', writeProviderScenario()],
  ])
  const [, providerUrl] = await waitForOutput(
    provider,
    /^callsim listening on (http:\/\/127\.0\.0\.1:\d+)/m,
  )
  const proxy = startCallsim(
    [
      'proxy',
      '--upstream',
      providerUrl as string,
      '--port',
      '0',
      '--record',
      recording,
      '--redact',
      'phone-numbers',
    ],
    CHILD,
  )
  const [, proxyUrl] = await waitForOutput(
    proxy,
    /^callsim proxy listening on (http:\/\/127\.0\.0\.1:\d+)/m,
  )
  expect(proxy.stdout()).toContain(
    `Recording each call into ${recording} (redacting Authorization, sinkCredential, phone numbers).`,
  )

  const { tokens } = await placeCalls(proxyUrl as string, providerUrl as string)
  proxy.child.kill('SIGINT')
  await proxy.exited
  expect(proxy.stdout()).toMatch(/^Recorded 2 call\(s\) into .*recording\.$/m)

  const files = readdirSync(recording).sort()
  expect(files).toEqual([
    expect.stringMatching(/^rec-\d{8}-\d{6}-call-1\.yaml$/),
    expect.stringMatching(/^rec-\d{8}-\d{6}-call-2\.yaml$/),
  ])
  const texts = files.map((file) => readFileSync(path.join(recording, file), 'utf8'))
  // Redaction: no token, nor any part of one, and no phone number, in any file.
  for (const token of tokens)
    for (const part of token.split('.')) expect(texts.join('\n')).not.toContain(part)
  expect(texts.join('\n')).not.toMatch(/15550001|15550002/)
  expect(texts[0]).toMatch(
    /lifecycle:\n {2}# InProgress: first observed \d+ms after the call was created/,
  )
  expect(texts[1]).toContain('code: INVALID_TOKEN_CONTEXT')

  const served = startCliInProcess([
    ...['serve', '--clock', 'virtual', '--port', '0', '--log-level', 'silent'],
    ...['--scenarios', recording],
  ])
  const [, servedUrl] = await waitForOutput(
    served,
    /^callsim listening on (http:\/\/127\.0\.0\.1:\d+)/m,
  )
  const replay = await runCliInProcess(['run', recording, '--target', servedUrl as string])
  expect(replay.stdout).toMatch(/^2 passed, 0 failed$/m)
  expect(replay.code).toBe(0)

  // Against the provider itself (through a plain proxy, so that the runner treats it as a
  // provider: real waits, its own tokens), the run says where it now differs: the stand-in
  // callee is not the number its quick-answer scenario matches, so the call rings for longer.
  const plain = startCliInProcess([
    ...['proxy', '--upstream', providerUrl as string, '--port', '0', '--log-level', 'silent'],
  ])
  const [, plainUrl] = await waitForOutput(
    plain,
    /^callsim proxy listening on (http:\/\/127\.0\.0\.1:\d+)/m,
  )
  const tokenCommand = `"${process.execPath}" "${path.resolve('dist/bin/callsim.js')}" token --sub "$CALLSIM_TOKEN_SUB" --scope "$CALLSIM_TOKEN_SCOPE"`
  const differs = await runCliInProcess([
    ...['run', recording, '--target', plainUrl as string],
    ...['--token-command', tokenCommand],
  ])
  expect(differs.stdout).toMatch(/^ {8}body\.status: expected "\w+", got "\w+"$/m)
  expect(differs.stdout).toMatch(/^1 passed, 1 failed$/m)
  expect(differs.code).toBe(1)
}, 120_000)

test('--redact names what it takes, and --record a folder callsim cannot write stops the start', async () => {
  const bogus = await runCliInProcess([
    ...['proxy', '--upstream', 'http://127.0.0.1:9', '--redact', 'bogus'],
  ])
  expect(bogus.stderr).toMatch(
    /^error: option '--redact <what>' argument 'bogus' is invalid\. expected one of authorization, sink-credential, phone-numbers, all or none\.$/m,
  )
  expect(bogus.code).toBe(2)
  const file = path.join(workspace, 'a-file')
  writeFileSync(file, '')
  const blocked = await runCliInProcess([
    ...['proxy', '--upstream', 'http://127.0.0.1:9', '--port', '0'],
    ...['--record', path.join(file, 'recording')],
  ])
  expect(blocked.stderr).toContain(
    `--record ${path.join(file, 'recording')}: callsim cannot write there (ENOTDIR); name a folder you can write to.`,
  )
  expect(blocked.code).toBe(1)
}, 30_000)
