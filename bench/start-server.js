// Starts one server under test in its own process, pinned to its own core, and measures the
// time from spawn to its first successful (2xx) answer. Linux /proc gives its memory.
import { spawn, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'
import os from 'node:os'

// Every server still running, so that an interrupted bench leaves no process behind.
const children = new Set()
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\nbench interrupted (${signal}); stopping its servers\n`)
    process.exit(130)
  })
}

/** Whether server and load generator can each have a core of their own. */
export function pinningPlan(wanted) {
  if (!wanted) return { enabled: false, reason: 'disabled with --no-pin' }
  if (os.availableParallelism() < 2) return { enabled: false, reason: 'fewer than 2 cores' }
  try {
    execFileSync('taskset', ['-V'], { stdio: 'ignore' })
  } catch {
    return { enabled: false, reason: 'taskset not found' }
  }
  return { enabled: true, serverCore: 0, clientCore: 1 }
}

/**
 * The environment the servers start in: this shell's, without NODE_EXTRA_CA_CERTS unless
 * `keepHostEnv`. Node reads that file at every start, before any JavaScript runs, and with
 * OpenSSL 3 parsing a system bundle of ~140 certificates takes ~90 ms on the benchmark machine
 * (nodejs/node#40524). The host sets it for its own TLS proxy; it is not start-up work of any
 * server measured, and none of them makes a TLS connection in the bench.
 */
export function serverEnvironment(keepHostEnv) {
  const env = { ...process.env }
  const removed = keepHostEnv
    ? []
    : ['NODE_EXTRA_CA_CERTS'].filter((name) => env[name] !== undefined)
  for (const name of removed) delete env[name]
  return { env, removed }
}

/** `node <args>` as a command line, pinned to the server core when the plan allows. */
function onServerCore(plan, args) {
  return plan.enabled
    ? ['taskset', ['-c', String(plan.serverCore), process.execPath, ...args]]
    : [process.execPath, args]
}

/** Median wall time of `node -e 0` on the server core: what every server pays before its code runs. */
export function nodeBootMs(env, plan, runs = 5) {
  const [command, argv] = onServerCore(plan, ['-e', '0'])
  const times = []
  for (let run = 0; run < runs; run += 1) {
    const startedAt = performance.now()
    execFileSync(command, argv, { env, stdio: 'ignore' })
    times.push(performance.now() - startedAt)
  }
  return Math.round(times.sort((a, b) => a - b)[Math.floor(runs / 2)] ?? NaN)
}

/** Moves this process (the load generator) and all its threads to the client core. */
export function pinSelf(plan) {
  if (!plan.enabled) return
  execFileSync('taskset', ['-a', '-p', '-c', String(plan.clientCore), String(process.pid)], {
    stdio: 'ignore',
  })
}

/**
 * A port nobody listens on right now, so the poll below can start before the server does.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address())
      probe.close(() => resolve(port))
    })
  })
}

/**
 * One HTTP exchange on a fresh connection; resolves with status and body text.
 * @param {number} port
 * @param {{ method?: string, path?: string, headers?: Record<string, string>, body?: string }} [exchange]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string }>}
 */
export function request(port, { method = 'GET', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method, path, headers, agent: false },
      (res) => {
        const chunks = []
        res.on('data', (chunk) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** VmRSS (now) and VmHWM (peak) of a process, in MB. */
export function readMemory(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (field) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 }
  } catch {
    return { rssMb: NaN, peakRssMb: NaN }
  }
}

/**
 * CPU time a process has used so far (user + system, all its threads), in ms, from
 * /proc/<pid>/stat. Unlike req/s, CPU time per request hardly moves when other work shares
 * the machine: time spent waiting for a core is not counted.
 */
export function readCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND
  } catch {
    return NaN
  }
}

/** USER_HZ: Linux reports utime and stime in these ticks (100 per second on every common build). */
const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
  } catch {
    return 100
  }
})()

/**
 * Spawns `node <args>` (pinned when the plan allows), then repeats `probe` until it answers
 * 2xx (that answer is kept as `probeAnswer`). Start-up time is spawn → end of that first 2xx response, so it includes Node's own
 * boot, module loading, spec compilation and listen().
 */
export async function startServer({
  name,
  args,
  port,
  probe,
  plan,
  timeoutMs = 30_000,
  env = process.env,
}) {
  const [command, argv] = onServerCore(plan, args)
  const startedAt = performance.now()
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'], env })
  children.add(child)
  let output = ''
  const keep = (chunk) => {
    // Keep the tail only: the pipes are drained so the server never blocks on a full pipe.
    output = (output + chunk.toString('utf8')).slice(-4000)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = false
  child.once('exit', () => {
    exited = true
    children.delete(child)
  })

  /** @returns {Promise<void>} */
  const stop = () =>
    new Promise((resolve) => {
      if (exited) {
        resolve()
        return
      }
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000)
      child.once('exit', () => {
        clearTimeout(killer)
        resolve()
      })
      child.kill('SIGTERM')
    })

  let answer
  for (;;) {
    if (exited) throw new Error(`${name} exited before it answered:\n${output}`)
    if (performance.now() - startedAt > timeoutMs) {
      await stop()
      throw new Error(`${name} did not answer 2xx within ${timeoutMs} ms:\n${output}`)
    }
    try {
      const response = await probe(port)
      if (response.status >= 200 && response.status < 300) {
        answer = response
        break
      }
      if (response.status >= 400 && response.status !== 503) {
        await stop()
        throw new Error(
          `${name} answered the start-up probe with ${response.status}: ${response.text.slice(0, 500)}`,
        )
      }
    } catch (error) {
      const code = /** @type {NodeJS.ErrnoException} */ (error).code
      if (code !== 'ECONNREFUSED' && code !== 'ECONNRESET') {
        await stop()
        throw error
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  const startupMs = performance.now() - startedAt
  return {
    name,
    pid: child.pid,
    port,
    startupMs,
    probeAnswer: answer,
    memory: () => readMemory(child.pid),
    cpuMs: () => readCpuMs(child.pid),
    output: () => output,
    stop,
    signal: (sig) => child.kill(sig),
  }
}
