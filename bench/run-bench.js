// `npm run bench`: callsim against an Express ceiling, an Express route app and raw node:http
// (and Prism with --prism), each in its own pinned process on 127.0.0.1, in one run.
// `npm run bench -- --scale` runs the 100k-call mode instead. See docs/performance.md.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { compareToBaselines, formatComparison, formatResults, medianOf } from './report.js'
import { openConsoleClient } from './console-client.js'
import { runLoad } from './run-load.js'
import { formatProxyCase, runProxyCase } from './run-proxy.js'
import { runScale } from './run-scale.js'
import {
  freePort,
  nodeBootMs,
  pinSelf,
  pinningPlan,
  request,
  serverEnvironment,
  startServer,
} from './start-server.js'
import {
  BASE,
  CREATE_BODIES,
  ROOT,
  SCOPES,
  SUBSCRIBER,
  clientHeaders,
  registerDeviceProbe,
  registrationIdFrom,
  targetDefinitions,
} from './targets.js'

const USAGE = `usage: npm run bench -- [options]
  --duration <s>     seconds of load per route and server (default 5)
  --warmup <s>       seconds of unmeasured load before each run (default 1)
  --connections <n>  concurrent keep-alive connections (default 32)
  --rounds <n>       run every server n times, interleaved, and report medians (default 1)
  --only <ids>       comma-separated subset: callsim,express-ceiling,express-ceiling-prebuilt,express-route,node-http,prism,proxy
                     (proxy: callsim proxy in front of a local callsim, against the direct connection;
                     callsim-console, callsim-stream: callsim with a web console, or only its change stream, open)
  --prism            also run the Prism mock on the same spec
  --baseline-dir <path>  also run callsim from another built checkout (e.g. a git worktree of an
                     older commit), interleaved with this one, and compare req/s and p99 with it
  --console          also run callsim with a web console client connected (its change stream
                     open, re-reading calls and a ladder on each change), to compare
  --scale            the scale mode: 1k vs 100k live calls, memory and clock steps
  --calls <n>        live calls in --scale mode (default 100000)
  --no-pin           do not pin server and load generator to separate cores
  --host-env         start the servers with this shell's environment as it is (by default
                     NODE_EXTRA_CA_CERTS is left out: see docs/performance.md)
  --out <dir>        where the JSON results go (default .bench)`

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '1' },
    only: { type: 'string' },
    prism: { type: 'boolean', default: false },
    'baseline-dir': { type: 'string' },
    console: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    calls: { type: 'string', default: '100000' },
    'no-pin': { type: 'boolean', default: false },
    'host-env': { type: 'boolean', default: false },
    out: { type: 'string', default: '.bench' },
    help: { type: 'boolean', default: false },
  },
})
if (flags.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(0)
}
const positive = (name) => {
  const value = Number(flags[name])
  if (!Number.isFinite(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive number, got "${flags[name]}".\n${USAGE}\n`)
    process.exit(2)
  }
  return value
}
const settings = {
  duration: positive('duration'),
  warmup: Number(flags.warmup) || 0,
  connections: Math.round(positive('connections')),
  calls: Math.round(positive('calls')),
  rounds: Math.round(positive('rounds')),
}

const SEED_CALLS = 1000
const SETTLE_MS = 1000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function mintToken(scope = SCOPES, claims = []) {
  // The same command a user runs: a real HS256 token that callsim verifies on every request.
  const args = [
    `${ROOT}dist/bin/callsim.js`,
    'token',
    '--sub',
    SUBSCRIBER,
    '--scope',
    scope,
    '--expires-in',
    '12h',
    ...claims.flatMap((claim) => ['--claim', claim]),
  ]
  return execFileSync(process.execPath, args, { encoding: 'utf8' }).trim()
}

/** An SBC administrator's token: the SBC face needs the access level in a claim. */
function mintSbcToken() {
  return mintToken('sbc:sessions:read', ['accessLevel=ADMIN'])
}

function machine(plan, environment) {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    // os.cpus(), not availableParallelism(): this process is already pinned to one core.
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.type()} ${os.release()}`,
    // Other work on the machine skews every figure; the report says how busy it was.
    loadAverageAtStart: os.loadavg().map((value) => Number(value.toFixed(2))),
    /** @type {number[] | undefined} set when the last server has stopped */
    loadAverageAtEnd: undefined,
    pinning: plan.enabled
      ? `server on core ${plan.serverCore}, load generator on core ${plan.clientCore} (taskset)`
      : `off (${plan.reason})`,
    // What every server pays before its own code runs, in the shell's and in their environment.
    nodeBootMs: {
      shellEnvironment: nodeBootMs(process.env, plan),
      serverEnvironment: nodeBootMs(environment.env, plan),
    },
    leftOutOfServerEnvironment: environment.removed,
  }
}

/** Creates `count` sessions with valid POSTs and returns their ids (GET uses these). */
async function seedSessions(port, base, headers, count) {
  const ids = []
  const run = await runLoad({
    port,
    method: 'POST',
    paths: [`${base}/sessions`],
    bodies: CREATE_BODIES,
    headers,
    connections: settings.connections,
    amount: count,
    onResponse: (status, body) => {
      // Prism's static example always names the same session, which is fine for a GET.
      if (status === 201) ids.push(JSON.parse(body).mediaSessionId)
    },
  })
  if (run.non2xx + run.errors + run.timeouts > 0 || ids.length === 0) {
    throw new Error(
      `creating ${count} sessions failed: ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts`,
    )
  }
  return ids
}

async function measure(definition, plan, env, token, onSeeded) {
  const port = await freePort()
  const server = await startServer({
    name: definition.id,
    args: definition.args(port),
    port,
    probe: definition.probe(token),
    plan,
    env,
  })
  const headers = clientHeaders(token, registrationIdFrom(server.probeAnswer))
  try {
    await sleep(SETTLE_MS)
    const idle = server.memory()
    const ids = await seedSessions(port, definition.base, headers, SEED_CALLS)
    await onSeeded?.(port, ids, headers)
    const consoleClient = definition.console
      ? await openConsoleClient(port, ids[0], plan, definition.console === 'page')
      : undefined
    const generatorUsage = process.cpuUsage()
    const generatorFrom = performance.now()
    const load = async (method, paths, bodies) => {
      const common = { port, method, paths, bodies, headers, connections: settings.connections }
      if (settings.warmup > 0) await runLoad({ ...common, duration: settings.warmup })
      const cpuBefore = server.cpuMs()
      const run = await runLoad({ ...common, duration: settings.duration })
      // The server's CPU per answered request, in µs: what a request costs it, which other
      // work on a busy host moves far less than req/s.
      const cpuUsPerRequest = ((server.cpuMs() - cpuBefore) * 1000) / run.requests
      return { ...run, cpuUsPerRequest }
    }
    // GET first, while the network holds the 1k seeded calls; POST then adds its own.
    const get = await load(
      'GET',
      ids.map((id) => `${definition.base}/sessions/${encodeURIComponent(id)}`),
    )
    const post = await load('POST', [`${definition.base}/sessions`], CREATE_BODIES)
    const consoleReads = await consoleClient?.stop()
    if (consoleReads) {
      // Both on the load generator's core: what the console client took of it, beside what the
      // load generator itself used, says whether it took any of the generator's share.
      const seconds = (performance.now() - generatorFrom) / 1000
      const generator = process.cpuUsage(generatorUsage)
      const percentOfCore = (ms) => `${(ms / 10 / seconds).toFixed(1)} %`
      const perSecond = (count) => (count / consoleReads.seconds).toFixed(1)
      const kbPerSecond = (bytes) => (bytes / 1024 / consoleReads.seconds).toFixed(0)
      process.stdout.write(
        `  console client: ${consoleReads.batches} change batches (${perSecond(consoleReads.batches)}/s, ${kbPerSecond(consoleReads.streamBytes)} KB/s), ${consoleReads.reads} reads (${perSecond(consoleReads.reads)}/s, ${kbPerSecond(consoleReads.readBytes)} KB/s, ${consoleReads.failedReads} failed), ${consoleReads.cpuMs} ms CPU (${percentOfCore(consoleReads.cpuMs)} of its core; the load generator used ${percentOfCore((generator.user + generator.system) / 1000)})\n`,
      )
    }
    const peak = server.memory()
    return {
      id: definition.id,
      label: definition.label,
      startupMs: server.startupMs,
      idleRssMb: idle.rssMb,
      peakRssMb: peak.peakRssMb,
      get,
      post,
    }
  } finally {
    await server.stop()
  }
}

/**
 * `--baseline-dir`: a checkout of callsim built on its own (`npm ci && npm run build`), named in
 * the report by its commit, so that the comparison says what it compared with.
 * @param {string} dir
 * @returns {{ dir: string, commit: string }}
 */
function checkoutOf(dir) {
  const resolved = path.resolve(dir)
  const bin = path.join(resolved, 'dist/bin/callsim.js')
  if (!existsSync(bin)) {
    process.stderr.write(
      `--baseline-dir: ${bin} does not exist; build that checkout first (npm ci && npm run build).\n`,
    )
    process.exit(2)
  }
  let commit = 'unknown commit'
  try {
    commit = execFileSync('git', ['-C', resolved, 'log', '-1', '--format=%h %s'], {
      encoding: 'utf8',
    }).trim()
  } catch {
    // Not a git checkout: the directory alone names it.
  }
  return { dir: resolved, commit }
}

async function main() {
  const plan = pinningPlan(!flags['no-pin'])
  pinSelf(plan)
  const outDir = path.resolve(ROOT, flags.out)
  mkdirSync(outDir, { recursive: true })
  const token = mintToken()
  const startedAt = new Date()
  const environment = serverEnvironment(flags['host-env'])
  const info = machine(plan, environment)
  process.stdout.write(
    `callsim bench — ${info.cores} cores (${info.cpu}), Node ${info.node}, pinning ${info.pinning}\n`,
  )
  const leftOut =
    environment.removed.length > 0
      ? `, without ${environment.removed.join(', ')} (--host-env keeps it)`
      : ''
  process.stdout.write(
    `\`node -e 0\` takes ${info.nodeBootMs.shellEnvironment} ms in this shell's environment and ${info.nodeBootMs.serverEnvironment} ms in the servers'${leftOut}\n`,
  )

  if (flags.scale) {
    const scale = await runScale({
      plan,
      token,
      sbcToken: mintSbcToken(),
      probe: registerDeviceProbe(token),
      settings,
      seedCalls: SEED_CALLS,
    })
    const file = path.join(outDir, `scale-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
    writeFileSync(
      file,
      `${JSON.stringify({ date: startedAt.toISOString(), machine: info, settings, scale }, null, 2)}\n`,
    )
    writeFileSync(
      path.join(outDir, 'scale-latest.json'),
      `${JSON.stringify({ date: startedAt.toISOString(), machine: info, settings, scale }, null, 2)}\n`,
    )
    process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file)}\n`)
    return
  }

  // Baselines answer with the exact JSON callsim sent, captured from callsim's own replies.
  const FIRST_BODY = CREATE_BODIES[0] ?? '{}'
  const repliesFile = path.join(outDir, 'replies.json')
  writeFileSync(
    repliesFile,
    JSON.stringify({ get: JSON.parse(FIRST_BODY), post: JSON.parse(FIRST_BODY) }),
  )
  const captureReplies = async (port, ids, headers) => {
    const got = await request(port, {
      path: `${BASE}/sessions/${encodeURIComponent(ids[0])}`,
      headers,
    })
    const posted = await request(port, {
      method: 'POST',
      path: `${BASE}/sessions`,
      headers,
      body: CREATE_BODIES[1],
    })
    writeFileSync(
      repliesFile,
      JSON.stringify({ get: JSON.parse(got.text), post: JSON.parse(posted.text) }),
    )
  }
  const only = flags.only ? new Set(flags.only.split(',').map((id) => id.trim())) : undefined
  const definitions = targetDefinitions({
    repliesFile: () => repliesFile,
    prism: flags.prism || Boolean(only?.has('prism')),
    console: flags.console || Boolean(only?.has('callsim-console')),
    consoleStream: Boolean(only?.has('callsim-stream')),
    baselineDir: flags['baseline-dir'] ? checkoutOf(flags['baseline-dir']) : undefined,
  }).filter((d) => !only || only.has(d.id) || d.id === 'callsim-baseline')

  // Rounds interleave the servers, so a burst of other load on the machine hits all of them.
  /** @type {Map<string, Awaited<ReturnType<typeof measure>>[]>} */
  const runs = new Map(definitions.map((definition) => [definition.id, []]))
  for (let round = 1; round <= settings.rounds; round += 1) {
    // Every other round runs the servers in reverse order, so that neither of two compared
    // servers always runs right after the same neighbour (or always first, on a cold host).
    const order = round % 2 === 1 ? definitions : [...definitions].reverse()
    for (const definition of order) {
      const of = settings.rounds > 1 ? ` (round ${round} of ${settings.rounds})` : ''
      process.stdout.write(
        `\n${definition.label}${of}: ${settings.warmup}s warm-up + ${settings.duration}s per route at ${settings.connections} connections …\n`,
      )
      const result = await measure(
        definition,
        plan,
        environment.env,
        token,
        definition.id === 'callsim' ? captureReplies : undefined,
      )
      runs.get(definition.id)?.push(result)
      process.stdout.write(
        `  start-up ${result.startupMs.toFixed(0)} ms; GET ${result.get.reqPerSec.toFixed(0)} req/s p99 ${result.get.p99Ms} ms ${result.get.cpuUsPerRequest.toFixed(0)} µs CPU; POST ${result.post.reqPerSec.toFixed(0)} req/s p99 ${result.post.p99Ms} ms ${result.post.cpuUsPerRequest.toFixed(0)} µs CPU (load ${os
          .loadavg()
          .map((v) => v.toFixed(1))
          .join(' ')})\n`,
      )
    }
  }
  const results = [...runs.values()].map(medianOf)
  let proxy
  if (!only || only.has('proxy')) {
    process.stdout.write(
      `\ncallsim proxy vs direct: ${settings.warmup}s warm-up + ${settings.duration}s per run, at 1 and ${settings.connections} connections …\n`,
    )
    proxy = await runProxyCase({ plan, env: environment.env, token, settings })
  }
  info.loadAverageAtEnd = os.loadavg().map((value) => Number(value.toFixed(2)))
  const comparison = compareToBaselines(results)
  if (results.length > 0)
    process.stdout.write(`\n${formatResults(results)}\n\n${formatComparison(comparison)}\n`)
  if (proxy) process.stdout.write(`\n${formatProxyCase(proxy)}\n`)
  const report = {
    date: startedAt.toISOString(),
    machine: info,
    settings: { ...settings, seedCalls: SEED_CALLS },
    results,
    ...comparison,
    ...(proxy ? { proxy } : {}),
  }
  const file = path.join(outDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`)
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(path.join(outDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  process.stdout.write(`\nresults written to ${path.relative(process.cwd(), file)}\n`)
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  process.exit(1)
})
