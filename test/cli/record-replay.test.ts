import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { createRecordToDir } from '../../src/app/index.js'
import { createObservingClient } from '../support/observe-exchanges.js'
import { DEVICE_ID, REGISTRATION_BASE } from '../support/register-device.js'
import { waitForOutput } from '../support/run-callsim.js'
import {
  runCliInProcess,
  startCliInProcess,
  stopCliSessions,
} from '../support/run-cli-in-process.js'
import { ALICE, BOB, advance, startSimulator, tokenFor } from '../support/start-simulator.js'

// A recording written by the shell, served by `callsim serve --scenarios` and replayed by
// `callsim run`: the recorder's promise, kept through the commands as the bin runs them.
const SESSIONS = '/webrtc-call-handling/vwip/sessions'
const folders: string[] = []
const simulators: ReturnType<typeof startSimulator>[] = []

afterEach(async () => {
  await stopCliSessions()
  simulators.splice(0).forEach((simulator) => simulator.dispose())
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** A provider callsim, a client whose exchanges it observes, and an empty recording folder. */
async function setup() {
  const provider = startSimulator()
  simulators.push(provider)
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-record-'))
  folders.push(dir)
  const client = createObservingClient(provider)
  const token = await tokenFor(provider, ALICE)
  return { provider, client, token, dir }
}

/** A session a user would record: an answered call, held for a while, hung up; then a refused one. */
async function playSession({ provider, client, token }: Awaited<ReturnType<typeof setup>>) {
  const registered = await client.send('POST', `${REGISTRATION_BASE}/sessions`, {
    token,
    body: { deviceId: DEVICE_ID },
  })
  const { registrationId } = registered.body as { registrationId: string }
  const created = await client.send('POST', SESSIONS, {
    token,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  const { mediaSessionId } = created.body as { mediaSessionId: string }
  for (const ms of [150, 300, 1000, 3000]) {
    advance(provider, ms)
    await client.send('GET', `${SESSIONS}/${mediaSessionId}`, { token })
  }
  advance(provider, 2000)
  await client.send('DELETE', `${SESSIONS}/${mediaSessionId}`, { token })
  await client.send('GET', `${SESSIONS}/${mediaSessionId}`, { token })
  await client.send('POST', SESSIONS, {
    token: await tokenFor(provider, BOB),
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
}

test('a recorded session replays and passes against callsim serve --scenarios', async () => {
  const session = await setup()
  const recorder = createRecordToDir({
    dir: session.dir,
    faces: session.provider.faces,
    idPrefix: 'rec-test',
    redaction: { authorization: true, sinkCredential: true, phoneNumbers: true },
    settleMs: 0,
  })
  session.client.observations.length = 0
  await playSession(session)
  session.client.observations.forEach((observation) => recorder.observe(observation))
  const report = await recorder.flush()
  expect(report.written.map((file) => path.basename(file))).toEqual([
    'rec-test-call-1.yaml',
    'rec-test-call-2.yaml',
  ])
  expect(readdirSync(session.dir).sort()).toEqual(['rec-test-call-1.yaml', 'rec-test-call-2.yaml'])
  const texts = report.written.map((file) => readFileSync(file, 'utf8')).join('\n')
  expect(texts).not.toContain(session.token.split('.')[1])
  expect(texts).not.toMatch(/15550001|15550002/)

  const served = startCliInProcess([
    ...['serve', '--clock', 'virtual', '--port', '0', '--log-level', 'silent'],
    ...['--scenarios', session.dir],
  ])
  const [, url] = await waitForOutput(served, /^callsim listening on (http:\/\/127\.0\.0\.1:\d+)/m)
  const replay = await runCliInProcess(['run', session.dir, '--target', url as string])
  expect(replay.stdout).toMatch(/^2 passed, 0 failed$/m)
  expect(replay.code).toBe(0)
}, 60_000)

test('never replaces a file it did not write; the call takes the next free name', async () => {
  const session = await setup()
  writeFileSync(path.join(session.dir, 'rec-test-call-1.yaml'), 'description: mine\n')
  const notices: string[] = []
  const recorder = createRecordToDir({
    dir: session.dir,
    faces: session.provider.faces,
    idPrefix: 'rec-test',
    settleMs: 0,
    onNotice: (message) => notices.push(message),
  })
  await playSession(session)
  session.client.observations.forEach((observation) => recorder.observe(observation))
  await recorder.flush()
  // A second flush rewrites the recording's own files in place, under the same names.
  await recorder.flush()
  expect(readFileSync(path.join(session.dir, 'rec-test-call-1.yaml'), 'utf8')).toBe(
    'description: mine\n',
  )
  expect(readdirSync(session.dir).sort()).toEqual([
    'rec-test-call-1-2.yaml',
    'rec-test-call-1.yaml',
    'rec-test-call-2.yaml',
  ])
  expect(notices).toEqual([
    expect.stringMatching(
      /rec-test-call-1\.yaml exists and is not this recording's: wrote .*rec-test-call-1-2\.yaml instead/,
    ),
  ])
}, 30_000)
