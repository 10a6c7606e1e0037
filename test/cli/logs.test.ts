import { afterEach, beforeAll, expect, test, vi } from 'vitest'
import { DEVICE_ID } from '../support/register-device.js'
import { startSink, type Sink } from '../support/start-sink.js'
import {
  assertBuilt,
  startCallsim,
  stopCallsimRuns,
  waitForOutput,
  type CallsimProcess,
  type OutputSource,
} from '../support/run-callsim.js'
import { startCliInProcess, stopCliSessions } from '../support/run-cli-in-process.js'
import { sendJson } from '../support/send-json.js'

// The log as a user reads it on stdout, not a terminal: `callsim serve` run in this process
// (its log written where the bin's goes, the terminal's stdout), and once as the built bin, for
// the log pino writes to a real process's stdout, a pipe.
vi.setConfig({ testTimeout: 60_000 })

const CALLS = '/webrtc-call-handling/vwip'
const sinks: Sink[] = []

beforeAll(assertBuilt)
afterEach(async () => {
  await stopCallsimRuns()
  await stopCliSessions()
  for (const sink of sinks.splice(0)) await sink.close()
})

/** Starts serve with these extra options (in this process, unless `spawned`) and returns what a client needs. */
async function setup(args: string[], { spawned = false } = {}) {
  const command = [
    'serve',
    ...['--port', '0', '--seed', '7', '--clock', 'virtual', '--allow-http-sinks'],
    ...args,
  ]
  const run: OutputSource = spawned ? startCallsim(command) : startCliInProcess(command)
  const [, url = ''] = await waitForOutput(run, /listening on (\S+)/)
  const [, token = ''] = await waitForOutput(run, /export TOKEN=(\S+)/)
  const call = async (method: string, path: string, body?: object, headers = {}) => {
    const response = await sendJson(`${url}${path}`, method, token, body, headers)
    const text = await response.text()
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) }
  }
  return { run, url, call }
}

/** The six requests of the README's "A call in six requests". */
async function sixRequestCall(call: Awaited<ReturnType<typeof setup>>['call']): Promise<string> {
  const registration = await call('POST', '/webrtc-registration/vwip/sessions', {
    deviceId: DEVICE_ID,
  })
  const { registrationId } = registration.body as { registrationId: string }
  const created = await call(
    'POST',
    `${CALLS}/sessions`,
    {
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      offer: { sdp: 'v=0\r\n' },
    },
    { registrationId, 'x-correlator': 'demo-1' },
  )
  const { mediaSessionId: id } = created.body as { mediaSessionId: string }
  await call('POST', '/_callsim/clock', { advance: '5s' })
  await call('GET', `${CALLS}/sessions/${id}`)
  await call('PUT', `${CALLS}/sessions/${id}/status`, { status: 'Hold' })
  await call('DELETE', `${CALLS}/sessions/${id}`)
  return id
}

/** The log lines after the banner, once there are `count` of them (bounded wait). */
async function logLines(run: OutputSource, count: number, pattern = /^[[{]/): Promise<string[]> {
  const lines = (): string[] =>
    run
      .stdout()
      .split('\n')
      .filter((line) => pattern.test(line))
  const deadline = Date.now() + 10_000
  while (lines().length < count) {
    if (Date.now() > deadline)
      throw new Error(`expected ${count} log lines within 10 s:\n${run.stdout()}\n${run.stderr()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  return lines()
}

test('prints one line per request with --log-format pretty: time, method, path, status, ms, scenario, violations', async () => {
  const { run, call } = await setup(['--log-format', 'pretty'])
  const id = await sixRequestCall(call)
  const lines = await logLines(run, 6)
  const line = (method: string, path: string, status: number, scenario: string) =>
    new RegExp(
      `^\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\] INFO: ${method} ${path} ${status} \\d+\\.\\dms scenario=${scenario} violations=0$`,
    )
  expect(lines[0]).toMatch(line('POST', '/webrtc-registration/vwip/sessions', 201, 'default'))
  expect(lines[1]).toMatch(line('POST', `${CALLS}/sessions`, 201, 'default'))
  expect(lines[2]).toMatch(line('POST', '/_callsim/clock', 200, '-'))
  expect(lines[3]).toMatch(line('GET', `${CALLS}/sessions/${id}`, 200, 'default'))
  expect(lines[4]).toMatch(line('PUT', `${CALLS}/sessions/${id}/status`, 200, 'default'))
  expect(lines[5]).toMatch(line('DELETE', `${CALLS}/sessions/${id}`, 204, 'default'))
})

test('logs a request that breaks the spec, and one a scenario fault hits, at warn with the reason', async () => {
  const { run, call } = await setup(['--log-format', 'pretty', '--log-level', 'warn'])
  await call('PUT', `${CALLS}/sessions/ABC/status`, { status: 'Bogus' })
  await call('GET', `${CALLS}/sessions/ABC`, undefined, {
    'x-callsim-scenario': 'permission-denied',
  })
  const lines = await logLines(run, 2)
  expect(lines[0]).toMatch(
    /^\[[\d:.]+\] WARN: PUT \/webrtc-call-handling\/vwip\/sessions\/ABC\/status 400 [\d.]+ms scenario=default violations=1 \| request body\.status: status must be one of: "Initial"/,
  )
  expect(lines[1]).toMatch(
    /^\[[\d:.]+\] WARN: GET \/webrtc-call-handling\/vwip\/sessions\/ABC 403 [\d.]+ms scenario=permission-denied violations=0 fault: permission-denied faults\[0\]: respond 403 PERMISSION_DENIED$/,
  )
  expect(lines).toHaveLength(2)
})

test('writes pino JSON lines with ISO times when stdout is not a terminal', async () => {
  const { run, call } = await setup([], { spawned: true })
  await call('GET', `${CALLS}/sessions/UNKNOWN`)
  const [line = ''] = await logLines(run, 1, /^\{/)
  expect(JSON.parse(line)).toEqual({
    level: 30,
    time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    kind: 'request',
    method: 'GET',
    path: `${CALLS}/sessions/UNKNOWN`,
    status: 404,
    ms: expect.any(Number),
    face: 'camara-call-handling',
    operationId: 'getSessionDetailsById',
    scenario: 'default',
    violations: 0,
    msg: 'request',
  })
})

test('writes every request line before it stops, however quickly it is stopped', async () => {
  // The bin's own stdout, where JSON lines wait to be written in batches.
  const { run, call } = await setup([], { spawned: true })
  for (let index = 0; index < 20; index += 1) await call('GET', `${CALLS}/sessions/GONE-${index}`)
  const { child, exited } = run as CallsimProcess
  child.kill('SIGINT')
  await exited
  const lines = run
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { path?: string })
  expect(lines.map((line) => line.path)).toEqual(
    Array.from({ length: 20 }, (_, index) => `${CALLS}/sessions/GONE-${index}`),
  )
})

test('adds what went in and out at --log-level debug, without the whole bearer token', async () => {
  const { run, call } = await setup(['--log-format', 'json', '--log-level', 'debug'])
  await call('GET', `${CALLS}/sessions/UNKNOWN`, undefined, { 'x-correlator': 'debug-1' })
  const [detail = '', request = ''] = await logLines(run, 2, /^\{/)
  const exchange: unknown = JSON.parse(detail)
  expect(exchange).toMatchObject({
    level: 20,
    msg: 'exchange',
    method: 'GET',
    request: {
      headers: {
        'x-correlator': 'debug-1',
        authorization: expect.stringMatching(/^Bearer eyJ.{6}…$/),
      },
    },
    response: { status: 404, body: { status: 404, code: 'NOT_FOUND' } },
  })
  expect(JSON.parse(request)).toMatchObject({ level: 30, correlator: 'debug-1', status: 404 })
})

test('logs every failed event delivery at warn with the sink answer', async () => {
  const sink = await startSink(() => 503)
  sinks.push(sink)
  const { run, call } = await setup(['--log-format', 'pretty', '--log-level', 'warn'])
  await call('POST', '/webrtc-registration/vwip/sessions', { deviceId: DEVICE_ID })
  const subscribed = await call('POST', '/webrtc-events/vwip/subscriptions', {
    protocol: 'HTTP',
    sink: sink.url,
    types: ['org.camaraproject.webrtc-events.v0.session-invitation'],
    config: { subscriptionDetail: { deviceId: DEVICE_ID } },
  })
  expect(subscribed.status).toBe(201)
  await call('POST', '/_callsim/calls/incoming', { from: 'tel:+15550002', to: 'tel:+15550001' })
  const [line] = await logLines(run, 1)
  expect(line).toMatch(
    new RegExp(
      `^\\[[\\d:.]+\\] WARN: event org\\.camaraproject\\.webrtc-events\\.v0\\.session-invitation to ${sink.url.replace(/[.]/g, '\\.')} attempt 1 failed \\(503\\): the sink answered 503; next attempt at \\S+Z$`,
    ),
  )
})
