// `node bench/paired-cpu.js --baseline-dir <built checkout>`: this checkout's callsim and the
// baseline's, served at the same time on the same core and loaded at the same time, compared by
// CPU time per request. On a host that other work shares, the two then meet the same contention
// in every second, where interleaved runs a few seconds apart can meet very different loads.
// See docs/performance.md ("Against an older commit").
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
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

const USAGE = `usage: node bench/paired-cpu.js --baseline-dir <path> [options]
  --baseline-dir <path>  a built checkout of callsim to compare with (npm ci && npm run build)
  --duration <s>         seconds of load per round and route (default 6)
  --rounds <n>           rounds per route (default 4)
  --connections <n>      keep-alive connections per server (default 16)`

const { values: flags } = parseArgs({
  options: {
    'baseline-dir': { type: 'string' },
    duration: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '16' },
  },
})
const baselineDir = flags['baseline-dir'] ? path.resolve(flags['baseline-dir']) : undefined
if (!baselineDir || !existsSync(path.join(baselineDir, 'dist/bin/callsim.js'))) {
  process.stderr.write(`--baseline-dir must name a built checkout of callsim.\n${USAGE}\n`)
  process.exit(2)
}
const duration = Number(flags.duration)
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

/** @param {string} name @param {string} dir */
async function start(name, dir) {
  const port = await freePort()
  const server = await startServer({
    name,
    args: [`${dir}/dist/bin/callsim.js`, ...serveArgs(port, 'system')],
    port,
    probe: registerDeviceProbe(token),
    plan,
    env,
  })
  const headers = clientHeaders(token, registrationIdFrom(server.probeAnswer))
  const { ids } = await createSessions(port, headers, connections, 1000)
  return { name, server, port, headers, ids, cpuMs: 0, requests: 0 }
}

const servers = [await start('this checkout', ROOT), await start('baseline', baselineDir)]
try {
  for (const method of ['GET', 'POST']) {
    /** @param {Awaited<ReturnType<typeof start>>} s @param {number} seconds */
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
    await Promise.all(servers.map((s) => load(s, 1)))
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
    const [mine, baseline] = servers.map((s) => (s.cpuMs * 1000) / s.requests)
    process.stdout.write(
      `${method}: ${mine?.toFixed(0)} µs of CPU per request against ${baseline?.toFixed(0)} µs: ${((mine ?? NaN) / (baseline ?? NaN)).toFixed(3)}×\n`,
    )
  }
} finally {
  await Promise.all(servers.map((s) => s.server.stop()))
}
