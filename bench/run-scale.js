// `npm run bench -- --scale`: CAMARA GET, SBC get and SBC list with 1k and with 100k live calls,
// memory while they live and after they have ended and passed retention, and the cost of one
// virtual clock step.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { median, roundRatios } from './report.js'
import { runLoad } from './run-load.js'
import { freePort, request, startServer } from './start-server.js'
import {
  BASE,
  CREATE_BODIES,
  ROOT,
  clientHeaders,
  registrationIdFrom,
  serveArgs,
} from './targets.js'

const RETENTION = '1m'
const RETENTION_MS = 60_000
// V8 gives pages back to the system a few seconds after the heap has shrunk (its memory reducer).
const IDLE_MS = 10_000
/** The host's 1-minute load average, printed with each round's figures. */
const loadNow = () => (os.loadavg()[0] ?? Number.NaN).toFixed(1)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
/**
 * A run's CPU per request and the GC pauses within it, for the round lines: scavenges (young
 * generation) apart from major collections, whose cost follows the whole heap, calls included.
 */
const cpuAndGc = (run) =>
  `${run.cpuUsPerRequest.toFixed(0)} µs CPU (GC ${run.gcUsPerRequest.toFixed(0)} µs: scavenges ${run.scavengeUsPerRequest.toFixed(0)}, major ${(run.gcUsPerRequest - run.scavengeUsPerRequest).toFixed(0)})`

/** Creates sessions with valid POSTs as fast as callsim takes them; returns ids and rate. */
export async function createSessions(port, headers, connections, count) {
  const ids = []
  const startedAt = performance.now()
  const run = await runLoad({
    port,
    method: 'POST',
    paths: [`${BASE}/sessions`],
    bodies: CREATE_BODIES,
    headers,
    connections,
    amount: count,
    onResponse: (status, body) => {
      if (status === 201) ids.push(JSON.parse(body).mediaSessionId)
    },
  })
  const seconds = (performance.now() - startedAt) / 1000
  return {
    ids,
    seconds,
    perSecond: count / seconds,
    failures: run.non2xx + run.errors + run.timeouts,
  }
}

async function advanceClock(port, advance) {
  const startedAt = performance.now()
  const response = await request(port, {
    method: 'POST',
    path: '/_callsim/clock',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance }),
  })
  const roundTripMs = performance.now() - startedAt
  if (response.status !== 200)
    throw new Error(`advancing the clock answered ${response.status}: ${response.text}`)
  const body = JSON.parse(response.text)
  return { advance, roundTripMs, fired: body.fired, pendingTasks: body.pendingTasks }
}

async function pendingTasks(port) {
  const response = await request(port, { path: '/_callsim/clock' })
  return JSON.parse(response.text).pendingTasks
}

/** The CLI unchanged, started through a wrapper that can force a GC and counts GC pauses (bench only). */
async function startCallsim(name, { plan, probe, gcDir }) {
  const port = await freePort()
  const args = [
    `--expose-gc`,
    `${ROOT}bench/serve-with-gc.js`,
    ...serveArgs(port, 'virtual', ['--retention', RETENTION]),
  ]
  const gcFile = path.join(gcDir, `${name}.json`)
  const memoryFile = path.join(gcDir, `${name}-memory.json`)
  const env = {
    ...process.env,
    CALLSIM_BENCH_GC_FILE: gcFile,
    CALLSIM_BENCH_MEMORY_FILE: memoryFile,
  }
  const server = await startServer({ name, args, port, probe, plan, env })
  return {
    server: {
      ...server,
      gcPauseMs: () => gcPauseMs(gcFile),
      scavengeMs: () => gcPauseMs(gcFile, 'scavenge'),
      settledUsage: () => settledUsage(server, memoryFile),
    },
    port,
  }
}

/**
 * process.memoryUsage() after a forced full GC: signals the wrapper and waits 1.5 s, as long as
 * V8's unmapper takes to give freed pages back, and then, on a busy host, up to 20 s for its
 * next numbered report.
 */
async function settledUsage(server, file) {
  const reportIn = () => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      return { report: 0 }
    }
  }
  const before = reportIn().report
  server.signal('SIGUSR2')
  await sleep(1500)
  for (let waited = 0; waited < 20_000; waited += 100) {
    const usage = reportIn()
    if (usage.report > before) return usage
    await sleep(100)
  }
  return {}
}

/**
 * The server's GC pauses so far (main thread, all kinds or one), in ms, as serve-with-gc.js
 * records them.
 * @param {string} file
 * @param {string} [kind] 'scavenge', 'markCompact', 'incremental' or 'weakCallbacks'
 */
function gcPauseMs(file, kind) {
  try {
    const pauses = JSON.parse(readFileSync(file, 'utf8'))
    return Object.entries(pauses)
      .filter(([name]) => kind === undefined || name === kind)
      .reduce((sum, [, { ms }]) => sum + ms, 0)
  } catch {
    return 0
  }
}

/** Every session's Call-ID, read page by page through the SBC list, as an SBC client would. */
async function sbcCallIds(port, headers) {
  const ids = []
  for (let offset = 0; ; offset += 1000) {
    const response = await request(port, {
      path: `/sbc/session?limit=1000&offset=${offset}`,
      headers,
    })
    if (response.status !== 200)
      throw new Error(`listing SBC sessions answered ${response.status}: ${response.text}`)
    const { sessions, total } = JSON.parse(response.text)
    ids.push(...sessions.map((session) => session.callId))
    if (ids.length >= total || sessions.length === 0) return ids
  }
}

/**
 * The list requests an SBC client makes: the first page, live calls, one customer's calls,
 * one direction and one number. Each is served from one index set (docs/telecomx-sbc.md).
 */
async function sbcListPaths(port, headers) {
  const response = await request(port, { path: '/sbc/session?limit=1&full=true', headers })
  const [first] = JSON.parse(response.text).sessions
  return [
    '/sbc/session',
    '/sbc/session?live=true&limit=100',
    `/sbc/session?customer=${first.sourceCustomerId}&limit=50`,
    '/sbc/session?direction=O&offset=100&limit=100',
    `/sbc/session?number=${encodeURIComponent(first.bNumber)}&limit=20`,
  ]
}

/**
 * Runs two measurements one after the other, the second first in every other round, so that
 * neither instance always runs right after the other's load; returns them in the order given.
 * @template T
 * @param {number} round
 * @param {[() => Promise<T>, () => Promise<T>]} runs
 * @returns {Promise<[T, T]>}
 */
async function inTurn(round, [first, second]) {
  if (round % 2 === 1) {
    const a = await first()
    return [a, await second()]
  }
  const b = await second()
  return [await first(), b]
}

/**
 * One measured load run (after its warm-up) with the server's CPU per answered request, in µs
 * (on a busy host the figure that other work moves least), and the part of it that the main
 * thread spent paused in garbage collection.
 */
async function measuredRun(serverOf, common, settings) {
  if (settings.warmup > 0) await runLoad({ ...common, duration: settings.warmup })
  const cpuBefore = serverOf.cpuMs()
  const gcBefore = serverOf.gcPauseMs()
  const scavengeBefore = serverOf.scavengeMs()
  const run = await runLoad({ ...common, duration: settings.duration })
  const perRequest = (ms) => (ms * 1000) / run.requests
  return {
    ...run,
    cpuUsPerRequest: perRequest(serverOf.cpuMs() - cpuBefore),
    gcUsPerRequest: perRequest(serverOf.gcPauseMs() - gcBefore),
    scavengeUsPerRequest: perRequest(serverOf.scavengeMs() - scavengeBefore),
  }
}

/** 100000 → "100k", 1500 → "1500". @param {number} count */
const countLabel = (count) =>
  count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count)

export async function runScale({ plan, token, sbcToken, probe, settings, seedCalls }) {
  const calls = settings.calls
  const connections = settings.connections
  // Two instances: one keeps 1k calls and one grows to 100k. Their GET runs alternate, round
  // after round, so that both meet the same load from the rest of the host.
  const gcDir = mkdtempSync(path.join(os.tmpdir(), 'callsim-bench-gc-'))
  const { server, port } = await startCallsim('callsim', { plan, probe, gcDir })
  const { server: smallServer, port: smallPort } = await startCallsim('callsim-1k', {
    plan,
    probe,
    gcDir,
  })
  const headers = clientHeaders(token, registrationIdFrom(server.probeAnswer))
  const smallHeaders = clientHeaders(token, registrationIdFrom(smallServer.probeAnswer))
  // After a forced full GC: RSS from /proc, and what V8 still holds (heapUsed), which is what
  // evicting calls gives back; RSS can stay higher while the allocator keeps freed pages.
  const settledMemory = async () => {
    const usage = await server.settledUsage()
    const spacesMb = Object.fromEntries(
      Object.entries(usage.spaces ?? {}).map(([name, space]) => [
        name,
        { size: space.size / 2 ** 20, used: space.used / 2 ** 20 },
      ]),
    )
    return {
      ...server.memory(),
      heapUsedMb: usage.heapUsed / 2 ** 20,
      heapTotalMb: usage.heapTotal / 2 ** 20,
      externalMb: usage.external / 2 ** 20,
      spacesMb,
    }
  }
  const log = (line) => process.stdout.write(`  ${line}\n`)
  try {
    process.stdout.write(
      `\ncallsim --clock virtual --retention ${RETENTION}, ${calls} live calls, ${connections} connections\n`,
    )
    const baseline = await settledMemory()
    log(
      `baseline RSS ${baseline.rssMb.toFixed(0)} MB, V8 heap in use ${baseline.heapUsedMb.toFixed(0)} MB`,
    )

    const seeded = await createSessions(port, headers, connections, seedCalls)
    const smallSeeded = await createSessions(smallPort, smallHeaders, connections, seedCalls)
    const getLoad = async (target, targetHeaders, ids) => {
      const common = {
        port: target,
        method: 'GET',
        paths: ids.map((id) => `${BASE}/sessions/${encodeURIComponent(id)}`),
        headers: targetHeaders,
        connections,
      }
      return measuredRun(target === port ? server : smallServer, common, settings)
    }
    const smallMemory = await settledMemory()
    log(
      `${seedCalls} calls: RSS ${smallMemory.rssMb.toFixed(0)} MB, heap ${smallMemory.heapUsedMb.toFixed(0)} MB`,
    )

    const bulk = await createSessions(port, headers, connections, calls - seedCalls)
    const ids = [...seeded.ids, ...bulk.ids]
    // The peak RSS so far after each phase, so that the report can say which one sets it.
    const peakSoFar = () => `peak RSS so far ${server.memory().peakRssMb.toFixed(0)} MB`
    log(
      `created ${bulk.ids.length} more calls through POST /sessions in ${bulk.seconds.toFixed(1)} s (${bulk.perSecond.toFixed(0)}/s, ${bulk.failures} failures); ${peakSoFar()}`,
    )
    const timersWhileLive = await pendingTasks(port)
    // DEFAULT_LIFECYCLE: InProgress after 200 ms, Ringing after 1 s; the answer comes at 4 s.
    const ringStep = await advanceClock(port, '1s')
    log(
      `clock step of 1s over ${ids.length} calls: ${ringStep.roundTripMs.toFixed(0)} ms round trip, ${ringStep.fired} tasks fired, ${ringStep.pendingTasks} pending; ${peakSoFar()}`,
    )
    const rounds = Math.max(settings.rounds, 3)
    const getRounds = []
    for (let round = 1; round <= rounds; round += 1) {
      const [small, large] = await inTurn(round, [
        () => getLoad(smallPort, smallHeaders, smallSeeded.ids),
        () => getLoad(port, headers, ids),
      ])
      getRounds.push({ small, large })
      log(
        `GET round ${round} of ${rounds}: ${seedCalls} calls ${small.reqPerSec.toFixed(0)} req/s, p99 ${small.p99Ms} ms, ${cpuAndGc(small)}; ${ids.length} calls ${large.reqPerSec.toFixed(0)} req/s, p99 ${large.p99Ms} ms, ${cpuAndGc(large)} (load ${loadNow()})`,
      )
    }
    const medianFigure = (size, field) => median(getRounds.map((round) => round[size][field]))
    const ratioOf = (field) =>
      roundRatios(getRounds.map((round) => [round.large[field], round.small[field]]))
    const reqPerSecRatio = ratioOf('reqPerSec')
    const p99Ratio = ratioOf('p99Ms')
    const rangeOf = ({ range: [low, high] }, format) => `${format(low)}–${format(high)}`
    const get = {
      seedCalls: {
        reqPerSec: medianFigure('small', 'reqPerSec'),
        p50Ms: medianFigure('small', 'p50Ms'),
        p99Ms: medianFigure('small', 'p99Ms'),
      },
      allCalls: {
        reqPerSec: medianFigure('large', 'reqPerSec'),
        p50Ms: medianFigure('large', 'p50Ms'),
        p99Ms: medianFigure('large', 'p99Ms'),
      },
      reqPerSecRatio: reqPerSecRatio.median,
      p99Ratio: p99Ratio.median,
      rounds: getRounds,
    }
    const largeMemory = await settledMemory()
    log(
      `${ids.length} calls: RSS ${largeMemory.rssMb.toFixed(0)} MB (peak ${largeMemory.peakRssMb.toFixed(0)} MB), heap ${largeMemory.heapUsedMb.toFixed(0)} MB`,
    )

    // The SBC face over the same calls: GET by Call-ID and list requests, alternating as above.
    // After the memory figures, so that the peak RSS above is what the calls hold, not the
    // garbage of whole-session projections.
    const sbcHeaders = { authorization: `Bearer ${sbcToken}`, 'x-correlator': 'bench-sbc' }
    const sbcTargets = {
      small: {
        port: smallPort,
        ids: await sbcCallIds(smallPort, sbcHeaders),
        lists: await sbcListPaths(smallPort, sbcHeaders),
      },
      large: {
        port,
        ids: await sbcCallIds(port, sbcHeaders),
        lists: await sbcListPaths(port, sbcHeaders),
      },
    }
    const sbcLoad = async (target, paths) => {
      const common = { port: target.port, method: 'GET', paths, headers: sbcHeaders, connections }
      return measuredRun(target.port === port ? server : smallServer, common, settings)
    }
    const sbc = {}
    const sbcOperations = [
      {
        operation: 'get',
        pathsOf: (target) => target.ids.map((id) => `/sbc/session/${encodeURIComponent(id)}`),
      },
      { operation: 'list', pathsOf: (target) => target.lists },
    ]
    for (const { operation, pathsOf } of sbcOperations) {
      const rounds = []
      for (let round = 1; round <= getRounds.length; round += 1) {
        const [small, large] = await inTurn(round, [
          () => sbcLoad(sbcTargets.small, pathsOf(sbcTargets.small)),
          () => sbcLoad(sbcTargets.large, pathsOf(sbcTargets.large)),
        ])
        rounds.push({ small, large })
        log(
          `SBC ${operation} round ${round} of ${getRounds.length}: ${sbcTargets.small.ids.length} calls ${small.reqPerSec.toFixed(0)} req/s, p99 ${small.p99Ms} ms, ${cpuAndGc(small)}; ${sbcTargets.large.ids.length} calls ${large.reqPerSec.toFixed(0)} req/s, p99 ${large.p99Ms} ms, ${cpuAndGc(large)} (${small.non2xx + large.non2xx} non-2xx, load ${loadNow()})`,
        )
      }
      const ratio = roundRatios(rounds.map((r) => [r.large.reqPerSec, r.small.reqPerSec]))
      const cpuRatio = roundRatios(
        rounds.map((r) => [r.large.cpuUsPerRequest, r.small.cpuUsPerRequest]),
      )
      sbc[operation] = {
        seedCalls: {
          reqPerSec: median(rounds.map((r) => r.small.reqPerSec)),
          cpuUsPerRequest: median(rounds.map((r) => r.small.cpuUsPerRequest)),
          gcUsPerRequest: median(rounds.map((r) => r.small.gcUsPerRequest)),
        },
        allCalls: {
          reqPerSec: median(rounds.map((r) => r.large.reqPerSec)),
          cpuUsPerRequest: median(rounds.map((r) => r.large.cpuUsPerRequest)),
          gcUsPerRequest: median(rounds.map((r) => r.large.gcUsPerRequest)),
        },
        reqPerSecRatio: ratio.median,
        range: ratio.range,
        cpuPerRequestRatio: cpuRatio.median,
        cpuPerRequestRange: cpuRatio.range,
        rounds,
      }
    }

    // End every call as a client would (DELETE), then let retention pass.
    let deleted = 0
    const ended = await runLoad({
      port,
      method: 'DELETE',
      paths: ids.map((id) => `${BASE}/sessions/${encodeURIComponent(id)}`),
      headers,
      connections,
      amount: ids.length,
      onResponse: (status) => {
        if (status === 204) deleted += 1
      },
    })
    const expiryStep = await advanceClock(port, `${RETENTION_MS / 1000 + 1}s`)
    const afterMemory = await settledMemory()
    const timersLeft = await pendingTasks(port)
    log(
      `deleted ${deleted} calls (${ended.non2xx} non-2xx); clock step past retention: ${expiryStep.roundTripMs.toFixed(0)} ms, ${expiryStep.fired} tasks fired`,
    )
    log(
      `after expiry: heap ${afterMemory.heapUsedMb.toFixed(0)} MB (baseline ${baseline.heapUsedMb.toFixed(0)} MB), RSS ${afterMemory.rssMb.toFixed(0)} MB (baseline ${baseline.rssMb.toFixed(0)} MB); ${timersLeft} timer(s) pending (the device registration's expiry)`,
    )
    await sleep(IDLE_MS)
    const idleMemory = await settledMemory()
    log(
      `after ${IDLE_MS / 1000} s idle: heap ${idleMemory.heapUsedMb.toFixed(0)} MB, RSS ${idleMemory.rssMb.toFixed(0)} MB`,
    )

    process.stdout.write('\nin-process clock step (bench/clock-step.js):\n')
    const stepArgs = ['--expose-gc', `${ROOT}bench/clock-step.js`, String(calls)]
    const command = plan.enabled ? 'taskset' : process.execPath
    const argv = plan.enabled
      ? ['-c', String(plan.serverCore), process.execPath, ...stepArgs]
      : stepArgs
    const inProcess = JSON.parse(execFileSync(command, argv, { encoding: 'utf8' }))
    log(
      `${calls} calls placed in ${inProcess.placeMs.toFixed(0)} ms; ${inProcess.pendingTimersAfterPlace} timers (one per call)`,
    )
    log(
      `advance 1s (all ringing): ${inProcess.ringingStep.ms.toFixed(0)} ms for ${inProcess.ringingStep.fired} tasks; advance 3s (all answered): ${inProcess.answerStep.ms.toFixed(0)} ms`,
    )
    log(
      `expiry of ${inProcess.expiryStep.fired} ended calls: ${inProcess.expiryStep.ms.toFixed(0)} ms; heap ${inProcess.heapMb.before.toFixed(0)} → ${inProcess.heapMb.live.toFixed(0)} → ${inProcess.heapMb.afterExpiry.toFixed(0)} MB`,
    )

    process.stdout.write('\nin-process SBC index (bench/sbc-lookups.js, CPU time):\n')
    const lookupArgs = [`${ROOT}bench/sbc-lookups.js`, String(calls)]
    const sbcInProcess = JSON.parse(
      execFileSync(
        plan.enabled ? 'taskset' : process.execPath,
        plan.enabled
          ? ['-c', String(plan.serverCore), process.execPath, ...lookupArgs]
          : lookupArgs,
        { encoding: 'utf8' },
      ),
    )
    const micros = (perSec) => `${(1e6 / perSec).toFixed(2)} µs`
    for (const operation of ['get', 'list'])
      log(
        `${operation}: ${micros(sbcInProcess[operation].smallPerSec)} with 1000 calls, ${micros(sbcInProcess[operation].largePerSec)} with ${calls}`,
      )

    // The targets name 100k and 1k calls; --calls and the seed count may name others.
    const many = countLabel(calls)
    const few = countLabel(seedCalls)
    const verdicts = [
      {
        target: `GET req/s with ${many} calls within 10% of ${few}`,
        value: `${(get.reqPerSecRatio * 100).toFixed(0)}% (rounds ${rangeOf(reqPerSecRatio, (v) => `${(v * 100).toFixed(0)}%`)})`,
        met: get.reqPerSecRatio >= 0.9,
      },
      {
        target: `GET p99 with ${many} calls within 10% of ${few}`,
        value: `${get.p99Ratio.toFixed(2)}× (rounds ${rangeOf(p99Ratio, (v) => `${v.toFixed(2)}×`)}; medians ${get.allCalls.p99Ms} vs ${get.seedCalls.p99Ms} ms)`,
        met: get.p99Ratio <= 1.1,
      },
      ...['get', 'list'].map((operation) => ({
        target: `SBC ${operation} req/s with ${many} calls within 10% of ${few}`,
        value: `${(sbc[operation].reqPerSecRatio * 100).toFixed(0)}% (rounds ${rangeOf(sbc[operation], (v) => `${(v * 100).toFixed(0)}%`)}; medians ${sbc[operation].allCalls.reqPerSec.toFixed(0)} vs ${sbc[operation].seedCalls.reqPerSec.toFixed(0)} req/s; CPU per request ${sbc[operation].cpuPerRequestRatio.toFixed(2)}×, rounds ${rangeOf({ range: sbc[operation].cpuPerRequestRange }, (v) => `${v.toFixed(2)}×`)}; GC pauses ${sbc[operation].allCalls.gcUsPerRequest.toFixed(0)} vs ${sbc[operation].seedCalls.gcUsPerRequest.toFixed(0)} µs per request)`,
        met: sbc[operation].reqPerSecRatio >= 0.9,
      })),
      {
        target: `RSS ≤ 300 MB with ${many} live calls`,
        value: `${largeMemory.peakRssMb.toFixed(0)} MB peak`,
        met: largeMemory.peakRssMb <= 300,
      },
      {
        target: 'heap back to baseline after retention (±10 MB)',
        value: `${afterMemory.heapUsedMb.toFixed(0)} vs ${baseline.heapUsedMb.toFixed(0)} MB`,
        met: afterMemory.heapUsedMb <= baseline.heapUsedMb + 10,
      },
      {
        target: `RSS back to baseline ${IDLE_MS / 1000} s later (±10 MB)`,
        value: `${idleMemory.rssMb.toFixed(0)} vs ${baseline.rssMb.toFixed(0)} MB (${afterMemory.rssMb.toFixed(0)} MB right after expiry)`,
        met: idleMemory.rssMb <= baseline.rssMb + 10,
      },
      {
        target: `a clock step over ${many} ringing calls < 1 s`,
        value: `${inProcess.ringingStep.ms.toFixed(0)} ms in-process, ${ringStep.roundTripMs.toFixed(0)} ms over HTTP`,
        met: inProcess.ringingStep.ms < 1000 && ringStep.roundTripMs < 1000,
      },
    ]
    process.stdout.write('\n')
    for (const verdict of verdicts)
      process.stdout.write(
        `  ${verdict.met ? 'met ' : 'NOT '} ${verdict.target}: ${verdict.value}\n`,
      )
    return {
      calls,
      memoryMb: {
        baseline,
        withSeedCalls: smallMemory,
        withAllCalls: largeMemory,
        afterExpiry: afterMemory,
        afterIdle: idleMemory,
      },
      get,
      sbc,
      sbcInProcess,
      creation: { seconds: bulk.seconds, perSecond: bulk.perSecond, failures: bulk.failures },
      timersWhileLive,
      ringStep,
      deleted,
      expiryStep,
      timersLeft,
      inProcess,
      verdicts,
    }
  } finally {
    await Promise.all([server.stop(), smallServer.stop()])
    rmSync(gcDir, { recursive: true, force: true })
  }
}
