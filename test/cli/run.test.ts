import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import type { RunningSimulator } from '../../src/app/index.js'
import { assertBuilt, runCallsim, stopCallsimRuns } from '../support/run-callsim.js'
import { runCliInProcess } from '../support/run-cli-in-process.js'
import { startSimulator } from '../support/start-simulator.js'

// Most runs play in this process (its output and exit code as the terminal shows them); three
// start the built bin, for its exit codes 0, 1 and 2 and its two streams. A bin loads and
// compiles every built-in spec; on a busy 2-core machine that can take several seconds.
vi.setConfig({ testTimeout: 60_000 })

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-run-'))

const servers: (RunningSimulator | Server)[] = []
afterEach(async () => {
  await stopCallsimRuns()
  await Promise.all(
    servers.splice(0).map((server) =>
      'url' in server
        ? server.close()
        : new Promise<void>((resolve) => {
            server.close(() => resolve())
            // A hanging provider still holds the runner's timed-out sockets open.
            server.closeAllConnections()
          }),
    ),
  )
})
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

beforeAll(assertBuilt)

const callsim = (args: string[]) => runCliInProcess(args)
const spawned = (args: string[]) => runCallsim(args)

/** Writes scenario files into a fresh folder of their own and returns the folder. */
function folderWith(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(workspace, 'scenarios-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), text)
  }
  return dir
}

/** A free port that nothing listens on: listen on 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

const lastLine = (text: string): string => text.trimEnd().split('\n').pop() ?? ''

/** A call from register to hang-up, with a poll, a wait and the session-status callbacks. */
const ANSWERED_CALL = `description: The callee answers after ringing; the caller hears it through events, then hangs up.
steps:
  - name: reg
    request: createRegistration
    body: { deviceId: "\${uuid.device}" }
    expect: { status: 201 }
  - subscribe: { types: [session-status], deviceId: "\${uuid.device}" }
  - name: create
    request: createSession
    params: { registrationId: "\${reg.body.registrationId}", x-correlator: run-test-1 }
    body:
      originatorAddress: tel:+15550001
      receiverAddress: tel:+15550002
      offer: { sdp: "v=0\\r\\n" }
    expect:
      status: 201
      headers: { x-correlator: run-test-1 }
      body: { status: Initial, receiverAddress: tel:+15550002 }
  - name: connected
    request: getSessionDetailsById
    params: { mediaSessionId: "\${create.body.mediaSessionId}" }
    poll: { timeout: 20s, interval: 1s }
    expect:
      body: { status: Connected }
      paths: { body.answer.sdp: { matches: "^v=0" } }
  - callback: { type: session-status, timeout: 5s }
    expect: { body: { data: { mediaSessionId: "\${create.body.mediaSessionId}", status: Connected } } }
  - wait: 30s
  - request: deleteSessionById
    params: { mediaSessionId: "\${create.body.mediaSessionId}" }
    expect: { status: 204 }
  - request: getSessionDetailsById
    params: { mediaSessionId: "\${create.body.mediaSessionId}" }
    expect: { body: { status: Terminated } }
`

/** Expects Connected right after creation, which the default scenario never does. */
const TOO_EARLY = `description: Expects an answer before the far end has even rung.
steps:
  - name: reg
    request: createRegistration
    body: { deviceId: "\${uuid.device}" }
  - name: create
    request: createSession
    params: { registrationId: "\${reg.body.registrationId}" }
    body: { originatorAddress: tel:+15550001, receiverAddress: tel:+15550002, offer: { sdp: "v=0" } }
    expect: { body: { status: Connected } }
  - wait: 5s
`

test('plays a file against an in-process callsim and ends with the summary line', async () => {
  const dir = folderWith({ 'answered-call.yaml': ANSWERED_CALL })
  const { code, stdout, stderr } = await callsim(['run', dir])
  expect(stderr).toBe('')
  expect(stdout).toMatch(
    /^callsim run: in-process callsim at http:\/\/127\.0\.0\.1:\d+ \(seed 1, virtual clock\)$/m,
  )
  expect(stdout).toContain('  answered-call\n')
  expect(stdout).toMatch(
    /✓ reg: createRegistration {2}POST \/webrtc-registration\/vwip\/sessions → 201 \(\d+ ms\)/,
  )
  expect(stdout).toMatch(
    /✓ step 2: subscribe session-status {2}POST \/webrtc-events\/vwip\/subscriptions → 201/,
  )
  expect(stdout).toMatch(
    /✓ connected: getSessionDetailsById \(poll\) {2}GET \/webrtc-call-handling\/vwip\/sessions\/\S+ → 200 \(\d+ ms\), after \d+ requests/,
  )
  expect(stdout).toMatch(
    /✓ step 5: callback session-status {2}received org\.camaraproject\.webrtc-events\.v0\.session-status #\d+/,
  )
  expect(stdout).toContain('✓ step 6: wait 30000 ms  advanced the virtual clock 30000 ms')
  expect(lastLine(stdout)).toBe('1 passed, 0 failed')
  expect(code).toBe(0)
})

test('plays the same file against a listening callsim given with --target', async () => {
  const dir = folderWith({ 'answered-call.yaml': ANSWERED_CALL })
  const running = await startSimulator({ scenarioPaths: [dir], allowHttpSinks: true }).listen()
  servers.push(running)
  const { code, stdout, stderr } = await spawned([
    'run',
    path.join(dir, 'answered-call.yaml'),
    '--target',
    running.url,
  ])
  expect(stderr).toBe('')
  expect(stdout).toContain(`callsim run: target ${running.url}`)
  expect(stdout).not.toContain('in-process')
  expect(lastLine(stdout)).toBe('1 passed, 0 failed')
  expect(code).toBe(0)
})

test('fails a scenario whose expectation does not hold, names the path, and exits 1', async () => {
  const dir = folderWith({ 'too-early.yaml': TOO_EARLY })
  const { code, stdout } = await callsim(['run', dir])
  expect(stdout).toMatch(
    /✗ create: createSession {2}POST \/webrtc-call-handling\/vwip\/sessions → 201 \(\d+ ms\)\n {8}body\.status: expected "Connected", got "Initial"\n/,
  )
  expect(stdout).toContain('- step 3: wait 5000 ms (skipped)')
  expect(stdout).toContain('✗ too-early failed')
  expect(lastLine(stdout)).toBe('0 passed, 1 failed')
  expect(code).toBe(1)
})

test('reports an unreachable target per step, without a stack trace, and goes on', async () => {
  const dir = folderWith({ 'a.yaml': TOO_EARLY, 'b.yaml': TOO_EARLY })
  const port = await closedPort()
  const { code, stdout, stderr } = await spawned([
    'run',
    dir,
    '--target',
    `http://127.0.0.1:${port}`,
  ])
  const message = `Failed to reach http://127.0.0.1:${port}: connection refused (ECONNREFUSED). Is the target running? Check --target.`
  expect(stdout.split(message)).toHaveLength(3)
  expect(stdout).toContain('  a\n')
  expect(stdout).toContain('  b\n')
  expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/)
  expect(lastLine(stdout)).toBe('0 passed, 2 failed')
  expect(code).toBe(1)
})

test('names a TLS failure when the target does not speak https', async () => {
  const dir = folderWith({ 'tls.yaml': TOO_EARLY })
  const running = await startSimulator({ scenarioPaths: [dir] }).listen()
  servers.push(running)
  const target = running.url.replace('http:', 'https:')
  const { code, stdout } = await callsim(['run', dir, '--target', target])
  expect(stdout).toContain(
    `TLS with ${target} failed: the server does not speak TLS on that port (ERR_SSL_WRONG_VERSION_NUMBER). Is it plain http://? Check --target.`,
  )
  expect(code).toBe(1)
})

test('stops at the first failed scenario with --bail', async () => {
  const dir = folderWith({ 'a.yaml': TOO_EARLY, 'b.yaml': TOO_EARLY })
  const { code, stdout } = await callsim(['run', dir, '--bail'])
  expect(stdout).toContain('  a\n')
  expect(stdout).not.toContain('  b\n')
  expect(stdout).toContain('stopped early by --bail')
  expect(lastLine(stdout)).toBe('0 passed, 1 failed')
  expect(code).toBe(1)
})

test('writes a JUnit report with a testsuite per file and a testcase per scenario', async () => {
  const dir = folderWith({ 'answered-call.yaml': ANSWERED_CALL, 'too-early.yaml': TOO_EARLY })
  const report = path.join(workspace, 'reports', 'junit.xml')
  const { code, stdout } = await callsim(['run', dir, '--junit', report])
  expect(stdout).toContain(`JUnit report: ${report}`)
  expect(lastLine(stdout)).toBe('1 passed, 1 failed')
  expect(code).toBe(1)
  const xml = readFileSync(report, 'utf8')
  expect(xml).toMatch(
    /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="callsim run" tests="2" failures="1" errors="0" skipped="0" time="[\d.]+">/,
  )
  expect(xml.match(/<testsuite /g)).toHaveLength(2)
  expect(xml).toMatch(
    /<testcase name="answered-call" classname="[^"]*answered-call" file="[^"]*answered-call.yaml" time="[\d.]+">\n {6}<system-out>/,
  )
  expect(xml).toContain(
    '<failure message="create: createSession: body.status: expected &quot;Connected&quot;, got &quot;Initial&quot;" type="expectation">',
  )
})

test('reports a bad file with its line and runs the others', async () => {
  const dir = folderWith({
    'a-broken.yaml':
      'description: broken\nsteps:\n  - request: createSession\n    expect: { status: 99 }\n',
    'b-good.yaml': ANSWERED_CALL,
  })
  const { code, stdout } = await callsim([
    'run',
    path.join(dir, 'a-broken.yaml'),
    path.join(dir, 'b-good.yaml'),
    path.join(dir, 'missing.yaml'),
  ])
  expect(stdout).toMatch(
    /a-broken\.yaml:4 at \/steps\/0\/expect\/status: must be a status code \(100-599\) or a list of them/,
  )
  expect(stdout).toMatch(/missing\.yaml: no such file or directory/)
  expect(lastLine(stdout)).toBe('1 passed, 2 failed')
  expect(code).toBe(1)
})

test('validates every response of a provider against the spec and sends the --token-command token', async () => {
  // A provider that answers getSessionDetailsById with a status the spec does not know.
  const seen: string[] = []
  const provider = createServer((request, response) => {
    seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? ''}`)
    if (request.url?.startsWith('/webrtc-call-handling/vwip/sessions/')) {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(
        JSON.stringify({
          mediaSessionId: 'm-1',
          originatorAddress: 'tel:+15550001',
          receiverAddress: 'tel:+15550002',
          status: 'Answered',
          offer: { sdp: 'v=0' },
        }),
      )
      return
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', () => resolve()))
  servers.push(provider)
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`
  const dir = folderWith({
    'provider.yaml': `description: reads a session
steps:
  - request: getSessionDetailsById
    auth: { sub: "tel:+15550009" }
    params: { mediaSessionId: m-1 }
`,
  })
  const { code, stdout } = await callsim([
    'run',
    dir,
    '--target',
    url,
    '--token-command',
    'echo "token-for-$CALLSIM_TOKEN_SUB"',
  ])
  expect(stdout).toContain(
    'contract: body.status breaks the rule "enum" of getSessionDetailsById 200: status must be one of:',
  )
  expect(seen).toContain(
    'GET /webrtc-call-handling/vwip/sessions/m-1 Bearer token-for-tel:+15550009',
  )
  // Not a callsim: no scenario header, no control API calls beyond the one probe.
  expect(seen.filter((line) => line.startsWith('GET /_callsim/'))).toHaveLength(1)
  expect(lastLine(stdout)).toBe('0 passed, 1 failed')
  expect(code).toBe(1)
})

test("calls a face at the provider's own path with --base-path <face>=<path>", async () => {
  const seen: string[] = []
  const provider = createServer((request, response) => {
    seen.push(`${request.method} ${request.url}`)
    response.writeHead(404, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ status: 404, code: 'NOT_FOUND', message: 'no such session' }))
  })
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', () => resolve()))
  servers.push(provider)
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`
  const dir = folderWith({
    'read.yaml': `description: reads a session the provider does not have
steps:
  - request: getSessionDetailsById
    params: { mediaSessionId: m-1 }
    expect: { status: 404, body: { code: NOT_FOUND } }
`,
  })
  const { code, stdout } = await callsim([
    'run',
    dir,
    '--target',
    url,
    '--token',
    't',
    '--base-path',
    'camara-call-handling=/api/webrtc/v1/',
  ])
  expect(seen).toContain('GET /api/webrtc/v1/sessions/m-1')
  expect(lastLine(stdout)).toBe('1 passed, 0 failed')
  expect(code).toBe(0)
})

test('refuses a --base-path for a face callsim does not have, and one without --target', async () => {
  const unknown = await callsim(['run', workspace, '--base-path', 'webrtc=/api'])
  expect(unknown.stderr).toMatch(
    /^error: option '--base-path <face=path>' argument 'webrtc=\/api' is invalid\. expected <face>=<path> with a face of camara-call-handling, camara-registration, /,
  )
  expect(unknown.code).toBe(2)
  const local = await callsim(['run', workspace, '--base-path', 'camara-call-handling=/api'])
  expect(local.stderr).toMatch(/^error: --base-path needs --target/)
  expect(local.code).toBe(2)
})

test('says how a long poll is doing, and stops it early when the same client error keeps coming', async () => {
  // A call that keeps ringing, then a session the provider has forgotten: the same 404 on every
  // request after the first one that came 2 s or more into the poll. That last ringing answer
  // reaches the runner past its 2 s (PROGRESS_AFTER_MS) however slow the machine, so a progress
  // line shows a ringing call; and the test lasts ~2.6 s, not a fixed number of intervals.
  let firstAt: number | undefined
  let forgotten = false
  let gone = 0
  const provider = createServer((_request, response) => {
    firstAt ??= performance.now()
    const ringing = {
      mediaSessionId: 'm-1',
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      status: 'Ringing',
      offer: { sdp: 'v=0' },
    }
    const notFound = {
      status: 404,
      code: 'NOT_FOUND',
      message: 'The specified resource is not found.',
    }
    if (forgotten) gone += 1
    response.writeHead(forgotten ? 404 : 200, { 'content-type': 'application/json' })
    response.end(JSON.stringify(forgotten ? notFound : ringing))
    if (performance.now() - firstAt >= 2_050) forgotten = true
  })
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', () => resolve()))
  servers.push(provider)
  const url = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`
  const dir = folderWith({
    'poll.yaml': `description: waits for a session to connect
steps:
  - request: getSessionDetailsById
    params: { mediaSessionId: m-1 }
    poll: { timeout: 2m, interval: 100ms }
    expect: { status: 200, body: { status: Connected } }
`,
  })
  const started = Date.now()
  const { code, stdout } = await callsim(['run', dir, '--target', url, '--token', 't'])
  expect(Date.now() - started).toBeLessThan(30_000)
  expect(stdout).toMatch(
    /… polling getSessionDetailsById until status 200 with body \{"status":"Connected"\}: \d+ requests, the last GET \/webrtc-call-handling\/vwip\/sessions\/m-1 → 200 \(/,
  )
  expect(stdout).toContain(
    'poll: stopped early: the last 5 requests were all answered 404 with the same body, a client error that asking again will not change:',
  )
  expect(gone).toBe(5)
  expect(lastLine(stdout)).toBe('0 passed, 1 failed')
  expect(code).toBe(1)
})

test('refuses --token with --token-command before running anything', async () => {
  const { code, stdout, stderr } = await spawned([
    'run',
    workspace,
    '--token',
    'a',
    '--token-command',
    'echo b',
  ])
  expect(stderr).toBe(
    "error: give --token or --token-command, not both.\nRun 'callsim run --help' to see every option.\n",
  )
  expect(stdout).toBe('')
  expect(code).toBe(2)
})

test('names a target that does not answer within --timeout', async () => {
  // Accepts connections and never answers: a hanging provider. Every request to it waits the
  // whole --timeout, so a short one cannot misfire and keeps the test's wait short.
  const hanging = createServer(() => undefined)
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()))
  servers.push(hanging)
  const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`
  const dir = folderWith({ 'slow.yaml': TOO_EARLY })
  const { code, stdout } = await callsim([
    'run',
    dir,
    '--target',
    url,
    '--timeout',
    '100ms',
    '--token',
    't',
  ])
  expect(stdout).toContain(
    `GET ${url}/_callsim/clock: no response within 100 ms. The target is slow or hanging; raise --timeout (or the step's timeout) if that is expected.`,
  )
  expect(lastLine(stdout)).toBe('0 passed, 1 failed')
  expect(code).toBe(1)
})

test('waits in real time when the target runs on the system clock', async () => {
  const running = await startSimulator({ clock: 'system' }).listen()
  servers.push(running)
  const dir = folderWith({
    'default.yaml':
      'description: waits\nsteps:\n  - wait: 300ms\n  - request: getClock\n    expect: { body: { kind: system } }\n',
  })
  const started = performance.now()
  const { code, stdout } = await callsim([
    'run',
    path.join(dir, 'default.yaml'),
    '--target',
    running.url,
  ])
  expect(stdout).toContain('✓ step 1: wait 300 ms  waited 300 ms')
  expect(performance.now() - started).toBeGreaterThanOrEqual(300)
  expect(lastLine(stdout)).toBe('1 passed, 0 failed')
  expect(code).toBe(0)
})

test('skips a scenario that needs a virtual clock on a system-clock target, with the reason, and plays it on a virtual one', async () => {
  const running = await startSimulator({ clock: 'system' }).listen()
  servers.push(running)
  const dir = folderWith({
    'clock-reader.yaml':
      'description: reads the clock\nneeds: [virtual-clock]\nsteps:\n  - request: getClock\n    expect: { body: { kind: virtual } }\n',
  })
  const junit = path.join(dir, 'report.xml')
  const onSystem = await callsim(['run', dir, '--target', running.url, '--junit', junit])
  const reason =
    'needs a virtual clock (its steps time statuses to the millisecond); the target callsim runs on the system clock (start it with --clock virtual)'
  expect(onSystem.stdout).toContain(`  - clock-reader skipped: ${reason}\n`)
  expect(onSystem.stdout).not.toContain('getClock')
  expect(onSystem.stdout).toContain('1 scenario(s) skipped (reasons above)')
  expect(readFileSync(junit, 'utf8')).toContain(`<skipped message="${reason}"/>`)
  // Nothing was tested, so the run does not pass silently.
  expect(onSystem.code).toBe(1)

  const onVirtual = await callsim(['run', dir])
  expect(onVirtual.stdout).toContain('✓ step 1: getClock')
  expect(lastLine(onVirtual.stdout)).toBe('1 passed, 0 failed')
  expect(onVirtual.code).toBe(0)
}, 60_000)

test('fails a file the in-process callsim refuses with its reasons, and runs the others', async () => {
  const dir = folderWith({
    'a-bad-lifecycle.yaml':
      'description: a typo in the lifecycle\nlifecycle:\n  - after: soon\n    status: Ringing\nsteps:\n  - wait: 1s\n',
    'b-good.yaml': ANSWERED_CALL,
  })
  const { code, stdout } = await callsim(['run', dir])
  expect(stdout).toMatch(
    /✗ \S*a-bad-lifecycle\.yaml:3 at \/lifecycle\/0\/after: "soon" does not fit: .* \(the in-process callsim refuses the file\)\n/,
  )
  expect(stdout).not.toContain('callsim-in-process-')
  expect(stdout).toContain('  b-good\n')
  expect(lastLine(stdout)).toBe('1 passed, 1 failed')
  expect(code).toBe(1)
})

test('a callback step that nothing subscribed for says how to point a subscription at the sink', async () => {
  const dir = folderWith({
    'no-subscription.yaml': `description: waits for an event nobody asked for
steps:
  - callback: { type: session-status, timeout: 200ms }
`,
  })
  const { code, stdout } = await callsim(['run', dir])
  expect(stdout).toMatch(
    /Did a subscribe step, or a request step with `sink: \$\{sink\.url\}` \(here http:\/\/127\.0\.0\.1:\d+\/events\), come first\?/,
  )
  expect(code).toBe(1)
})
