// The proxy case of `npm run bench`: what `callsim proxy` costs in front of a local upstream.
// One callsim serves as the upstream; the same GETs go to it directly and through the proxy.
import { median } from './report.js'
import { runLoad } from './run-load.js'
import { freePort, request, startServer } from './start-server.js'
import {
  BASE,
  CREATE_BODIES,
  ROOT,
  clientHeaders,
  registerDeviceProbe,
  registrationIdFrom,
  serveArgs,
} from './targets.js'

/** The targets of issue 21, measured against the direct connection in the same round. */
export const PROXY_TARGETS = { p50OverheadMs: 1, reqPerSecRatio: 0.5 }

const SEED_CALLS = 200

/**
 * Runs the proxy case: per round, a latency run at one connection (the overhead one exchange
 * pays, without queueing) and a throughput run at `settings.connections`, each first direct and
 * then through the proxy, so both meet the same load on the machine.
 * @param {{
 *   plan: { enabled: boolean, serverCore?: number, clientCore?: number },
 *   env: NodeJS.ProcessEnv,
 *   token: string,
 *   settings: { duration: number, warmup: number, connections: number, rounds: number },
 * }} options
 */
export async function runProxyCase({ plan, env, token, settings }) {
  const upstreamPort = await freePort()
  const upstream = await startServer({
    name: 'callsim (upstream)',
    args: [`${ROOT}dist/bin/callsim.js`, ...serveArgs(upstreamPort, 'system')],
    port: upstreamPort,
    probe: registerDeviceProbe(token),
    plan,
    env,
  })
  const proxyPort = await freePort()
  let proxy
  try {
    proxy = await startServer({
      name: 'callsim proxy',
      args: [
        `${ROOT}dist/bin/callsim.js`,
        'proxy',
        '--upstream',
        `http://127.0.0.1:${upstreamPort}`,
        '--port',
        String(proxyPort),
        '--log-level',
        'warn',
      ],
      port: proxyPort,
      probe: (port) => request(port, { path: '/_callsim/violations' }),
      // Not pinned: the upstream keeps the server core and the load generator its own, as in the
      // direct runs; the proxy is a third process and goes wherever the system has room.
      plan: { enabled: false, reason: 'the proxy runs beside both pinned processes' },
      env,
    })
    const headers = clientHeaders(token, registrationIdFrom(upstream.probeAnswer))
    const ids = []
    for (const body of CREATE_BODIES.slice(0, 4)) {
      for (let i = 0; i < SEED_CALLS / 4; i += 1) {
        const created = await request(upstreamPort, {
          method: 'POST',
          path: `${BASE}/sessions`,
          headers,
          body,
        })
        if (created.status !== 201)
          throw new Error(`seeding the upstream failed: ${created.status} ${created.text}`)
        ids.push(JSON.parse(created.text).mediaSessionId)
      }
    }
    const paths = ids.map((id) => `${BASE}/sessions/${encodeURIComponent(id)}`)
    const load = async (port, connections) => {
      const common = { port, method: 'GET', paths, headers, connections }
      if (settings.warmup > 0) await runLoad({ ...common, duration: settings.warmup })
      return runLoad({ ...common, duration: settings.duration })
    }
    const rounds = []
    for (let round = 1; round <= settings.rounds; round += 1) {
      const latencyDirect = await load(upstreamPort, 1)
      const latencyProxied = await load(proxyPort, 1)
      const direct = await load(upstreamPort, settings.connections)
      const proxied = await load(proxyPort, settings.connections)
      for (const run of [latencyDirect, latencyProxied, direct, proxied]) {
        if (run.non2xx + run.errors + run.timeouts > 0)
          throw new Error(
            `the proxy case saw ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`,
          )
      }
      rounds.push({
        p50DirectMs: latencyDirect.p50Ms,
        p50ProxiedMs: latencyProxied.p50Ms,
        p50OverheadMs: Math.round((latencyProxied.p50Ms - latencyDirect.p50Ms) * 100) / 100,
        reqPerSecDirect: direct.reqPerSec,
        reqPerSecProxied: proxied.reqPerSec,
        reqPerSecRatio: proxied.reqPerSec / direct.reqPerSec,
        p99DirectMs: direct.p99Ms,
        p99ProxiedMs: proxied.p99Ms,
      })
      process.stdout.write(
        `  round ${round}: p50 at 1 connection ${latencyDirect.p50Ms} ms direct, ${latencyProxied.p50Ms} ms proxied; ${direct.reqPerSec.toFixed(0)} req/s direct, ${proxied.reqPerSec.toFixed(0)} req/s proxied at ${settings.connections} connections\n`,
      )
    }
    const pick = (field) => median(rounds.map((round) => round[field]))
    const p50OverheadMs = pick('p50OverheadMs')
    const reqPerSecRatio = pick('reqPerSecRatio')
    return {
      route: 'GET /sessions/{id}',
      p50DirectMs: pick('p50DirectMs'),
      p50ProxiedMs: pick('p50ProxiedMs'),
      p50OverheadMs,
      reqPerSecDirect: pick('reqPerSecDirect'),
      reqPerSecProxied: pick('reqPerSecProxied'),
      reqPerSecRatio,
      verdicts: [
        {
          target: `p50 overhead < ${PROXY_TARGETS.p50OverheadMs} ms`,
          value: `${p50OverheadMs.toFixed(2)} ms`,
          met: p50OverheadMs < PROXY_TARGETS.p50OverheadMs,
        },
        {
          target: `throughput >= ${PROXY_TARGETS.reqPerSecRatio * 100}% of direct`,
          value: `${(reqPerSecRatio * 100).toFixed(0)}%`,
          met: reqPerSecRatio >= PROXY_TARGETS.reqPerSecRatio,
        },
      ],
      rounds,
    }
  } finally {
    await proxy?.stop()
    await upstream.stop()
  }
}

/** The proxy case as the lines the bench prints. */
export function formatProxyCase(result) {
  const lines = [
    `callsim proxy in front of a local callsim, ${result.route}:`,
    `  p50 at 1 connection: ${result.p50DirectMs} ms direct, ${result.p50ProxiedMs} ms proxied, overhead ${result.p50OverheadMs.toFixed(2)} ms`,
    `  throughput: ${result.reqPerSecDirect.toFixed(0)} req/s direct, ${result.reqPerSecProxied.toFixed(0)} req/s proxied (${(result.reqPerSecRatio * 100).toFixed(0)}%)`,
    ...result.verdicts.map(
      (verdict) => `  ${verdict.target}: ${verdict.value} ${verdict.met ? '(met)' : '(NOT met)'}`,
    ),
  ]
  return lines.join('\n')
}
