// `node bench/paired-cpu.js --baseline-dir <built checkout>`: this checkout's callsim and the
// baseline's, served at the same time on the same core and loaded at the same time, compared by
// CPU time per request. On a host that other work shares, the two then meet the same contention
// in every second, where interleaved runs a few seconds apart can meet very different loads.
// See docs/performance.md ("Against an older commit"). `--console` pairs this checkout's callsim
// with itself instead, a web console client (bench/console-client.js) open on the second one:
// what an open console costs per request ("With the web console open").
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { openConsoleClient } from './console-client.js'
import { runLoad } from './run-load.js'
import { createSessions } from './run-scale.js'
import { freePort, pinSelf, pinningPlan, serverEnvironment, startServer } from './start-server.js'
import {
  BASE,
  CREATE_BODIES,
  ROOT,
  SCOPES,
  SUBSCRIBER,
  clientHeaders,
  registerDeviceProbe,
  registrationIdFrom,
  serveArgs,
} from './targets.js'

const USAGE = `usage: node bench/paired-cpu.js (--baseline-dir <path> | --console) [options]
  --baseline-dir <path>  a built checkout of callsim to compare with (npm ci && npm run build)
  --console              compare this checkout with itself: a web console client open on one,
                         only the console's change stream on another, nothing on the third
  --cpu-prof <dir>       the servers write V8 CPU profiles (node --cpu-prof) into <dir>
  --duration <s>         seconds of load per round and route (default 6)
  --warmup <s>           seconds of load on every server at once before the rounds of a route
                         (default 3): V8 shrinks a young generation that met load after an idle
                         spell, and regrows it only as the load goes on
  --rounds <n>           rounds per route (default 4)
  --connections <n>      keep-alive connections per server (default 16)`

const { values: flags } = parseArgs({
  options: {
    'baseline-dir': { type: 'string' },
    console: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    duration: { type: 'string', default: '6' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
  },
})
const baselineDir = flags['baseline-dir'] ? path.resolve(flags['baseline-dir']) : undefined
if (
  flags.console === Boolean(baselineDir) ||
  (baselineDir && !existsSync(path.join(baselineDir, 'dist/bin/callsim.js')))
) {
  process.stderr.write(
    `Give either --console or --baseline-dir with a built checkout of callsim.\n${USAGE}\n`,
  )
  process.exit(2)
}
const duration = Number(flags.duration)
const warmup = Number(flags.warmup)
const rounds = Number(flags.rounds)
const connections = Number(flags.connections)

const token = execFileSync(
  process.execPath,
  [
    `${ROOT}dist/bin/callsim.js`,
    'token',
    '--sub',
    SUBSCRIBER,
    '--scope',
    SCOPES,
    '--expires-in',
    '12h',
  ],
  { encoding: 'utf8' },
).trim()
const plan = pinningPlan(true)
pinSelf(plan)
const { env } = serverEnvironment(false)

// Node writes a server's profile when it exits, named by its process id (printed at start).
const profiling = flags['cpu-prof']
  ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(flags['cpu-prof'])}`]
  : []

/**
 * Starts one server; `prepare` then gives it its calls and console client. Every server is
 * started before any is prepared, and all are prepared at once: a server that sat idle while
 * the others started and then met the load would measure V8's young generation shrunk, not
 * callsim (see `--warmup`).
 * @param {string} name @param {string} dir
 * @param {'page' | 'stream' | undefined} [withConsole] a console client that re-reads as the page does, or only holds its change stream open
 */
async function start(name, dir, withConsole = undefined) {
  const port = await freePort()
  const server = await startServer({
    name,
    args: [...profiling, `${dir}/dist/bin/callsim.js`, ...serveArgs(port, 'system')],
    port,
    probe: registerDeviceProbe(token),
    plan,
    env,
  })
  if (profiling.length > 0) process.stdout.write(`${name}: process ${server.pid}\n`)
  const headers = clientHeaders(token, registrationIdFrom(server.probeAnswer))
  const prepare = async () => {
    const { ids } = await createSessions(port, headers, connections, 1000)
    const consoleClient = withConsole
      ? await openConsoleClient(port, ids[0] ?? '', plan, withConsole === 'page')
      : undefined
    return { name, server, port, headers, ids, consoleClient, cpuMs: 0, requests: 0 }
  }
  return prepare
}

const started = baselineDir
  ? [await start('this checkout', ROOT), await start('baseline', baselineDir)]
  : [
      await start('console open', ROOT, 'page'),
      await start('stream only', ROOT, 'stream'),
      await start('alone', ROOT),
    ]
const servers = await Promise.all(started.map((prepare) => prepare()))
try {
  for (const method of ['GET', 'POST']) {
    /** @param {(typeof servers)[number]} s @param {number} seconds */
    const load = (s, seconds) =>
      runLoad({
        port: s.port,
        method,
        paths:
          method === 'GET'
            ? s.ids.map((id) => `${BASE}/sessions/${encodeURIComponent(id)}`)
            : [`${BASE}/sessions`],
        bodies: method === 'POST' ? CREATE_BODIES : undefined,
        headers: s.headers,
        connections,
        duration: seconds,
      })
    await Promise.all(servers.map((s) => load(s, warmup)))
    for (const s of servers) Object.assign(s, { cpuMs: 0, requests: 0 })
    for (let round = 1; round <= rounds; round += 1) {
      const before = servers.map((s) => s.server.cpuMs())
      const runs = await Promise.all(servers.map((s) => load(s, duration)))
      const perRequest = servers.map((s, index) => {
        const cpuMs = s.server.cpuMs() - (before[index] ?? 0)
        const requests = runs[index]?.requests ?? 0
        s.cpuMs += cpuMs
        s.requests += requests
        return `${s.name} ${((cpuMs * 1000) / requests).toFixed(0)} µs (${requests} requests)`
      })
      process.stdout.write(`${method} round ${round}: ${perRequest.join(', ')}\n`)
    }
    // Each server against the last one (the baseline, or callsim alone). A console's cost is
    // mostly so much per second, not per request: three servers share a core here, so the
    // ratio overstates what a server with a core of its own loses; the extra CPU a second
    // (against that server's ~1000 ms a second when saturated) says that.
    const reference = servers.at(-1)
    const referencePerRequest = reference ? (reference.cpuMs * 1000) / reference.requests : NaN
    for (const s of servers.slice(0, -1)) {
      const mine = (s.cpuMs * 1000) / s.requests
      const of = servers.length > 2 ? ` (${s.name})` : ''
      const extraMsPerSecond =
        ((mine - referencePerRequest) * s.requests) / 1000 / (rounds * duration)
      const extra = flags.console ? `, ${extraMsPerSecond.toFixed(1)} ms of CPU a second more` : ''
      process.stdout.write(
        `${method}${of}: ${mine.toFixed(0)} µs of CPU per request against ${referencePerRequest.toFixed(0)} µs: ${(mine / referencePerRequest).toFixed(3)}×${extra}\n`,
      )
    }
  }
  for (const s of servers) {
    const consoleReads = await s.consoleClient?.stop()
    if (!consoleReads) continue
    const perSecond = (count) => (count / consoleReads.seconds).toFixed(1)
    process.stdout.write(
      `${s.name}: the console client received ${perSecond(consoleReads.batches)} batches/s (${(consoleReads.streamBytes / 1024 / consoleReads.seconds).toFixed(0)} KB/s), ${perSecond(consoleReads.reads)} reads/s (${(consoleReads.readBytes / 1024 / consoleReads.seconds).toFixed(0)} KB/s, ${consoleReads.failedReads} failed)\n`,
    )
  }
} finally {
  await Promise.all(servers.map((s) => s.server.stop()))
}
