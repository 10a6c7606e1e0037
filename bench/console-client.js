// What an open web console costs the server: a client that holds GET /_callsim/stream?call=…
// open (for the call whose ladder it shows, as the page does) and, on each change batch,
// re-reads what the page re-reads with the calls view open on one call's ladder (the newest
// page of 50 calls, that ladder), never two reads of a kind at once. It decides with the page's
// own rule (src/console/page/refresh-plan.ts), so it reads neither more nor less than the page
// would.
//
// It runs as a process of its own on the load generator's core, as a browser on the load
// generator's machine would, and reports the CPU time it took there, so that the comparison
// shows whether it took any of the load generator's share (docs/performance.md).
// `npm run bench -- --console` measures callsim with and without it.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { TextDecoder } from 'node:util'
import { transform } from 'esbuild'

const PLAN_SOURCE = fileURLToPath(new URL('../src/console/page/refresh-plan.ts', import.meta.url))

/**
 * The page's planRefresh, compiled from its TypeScript source (which imports types only).
 * @returns {Promise<(batch: any, view: { selectedCall: string | undefined, visibleCalls: string[], filtered: boolean, journalVisible: boolean }) => { calls: boolean, ladder: boolean }>}
 */
async function loadPlanRefresh() {
  const { code } = await transform(readFileSync(PLAN_SOURCE, 'utf8'), {
    loader: 'ts',
    format: 'esm',
  })
  const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
  return module.planRefresh
}

/**
 * The client itself: connects, re-reads on each batch (unless `rereads` is false: the stream
 * alone), and answers with its counts.
 */
async function watchAsThePageDoes(port, callId, rereads) {
  const planRefresh = await loadPlanRefresh()
  const base = `http://127.0.0.1:${port}/_callsim`
  const controller = new AbortController()
  // The page opens its stream for the call whose ladder it shows.
  const response = await fetch(`${base}/stream?call=${encodeURIComponent(callId)}`, {
    signal: controller.signal,
  })
  if (response.status !== 200 || !response.body)
    throw new Error(`the console stream answered ${response.status}`)
  const body = response.body
  // Bytes too: what the stream and the re-reads cost the server to build and send, and the page to parse.
  const counts = { batches: 0, reads: 0, failedReads: 0, streamBytes: 0, readBytes: 0 }
  const read = async (path) => {
    const answer = await fetch(`${base}${path}`, { signal: controller.signal })
    const text = await answer.text()
    counts.reads += 1
    counts.readBytes += Buffer.byteLength(text)
    if (answer.status !== 200) counts.failedReads += 1
    return text
  }
  // Like the page's createRefresher: one read of a kind at a time, requests meanwhile fold into one.
  const refresher = (path, onRead = (/** @type {string} */ _text) => undefined) => {
    let running = false
    let again = false
    return async () => {
      if (running) {
        again = true
        return
      }
      running = true
      do {
        again = false
        await read(path)
          .then(onRead)
          .catch(() => undefined)
      } while (again && !controller.signal.aborted)
      running = false
    }
  }
  // The page's view: the newest page of calls, unfiltered, with the ladder of `callId` open.
  const view = { selectedCall: callId, visibleCalls: [], filtered: false, journalVisible: false }
  const refreshCalls = refresher('/calls?order=newest&offset=0&limit=50&timeline=false', (text) => {
    view.visibleCalls = JSON.parse(text).calls.map((/** @type {{ id: string }} */ call) => call.id)
  })
  const refreshLadder = refresher(`/calls/${encodeURIComponent(callId)}/ladder`)
  // The page reads its calls page when it opens, before any batch.
  if (rereads) await refreshCalls()
  const listening = (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        counts.streamBytes += chunk.byteLength
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const data = /^data: (.*)$/m.exec(frame)?.[1]
          if (!frame.startsWith('event: change') || data === undefined) continue
          counts.batches += 1
          const plan = planRefresh(JSON.parse(data), view)
          if (!rereads) continue
          if (plan.calls) void refreshCalls()
          if (plan.ladder) void refreshLadder()
        }
      }
    } catch {
      // Aborted by stop().
    }
  })()
  return async () => {
    controller.abort()
    await listening
    return counts
  }
}

/**
 * Starts the client in its own process (pinned to the load generator's core when the plan
 * pins) once the stream of the callsim on `port` is open; `stop()` returns what it did and the
 * CPU time it used.
 * @param {number} port
 * @param {string} callId
 * @param {{ enabled: boolean, clientCore?: number }} plan
 * @param {boolean} [rereads] false: hold the stream open and parse its batches, but read nothing
 * @returns {Promise<{ stop: () => Promise<{ batches: number, reads: number, failedReads: number, streamBytes: number, readBytes: number, cpuMs: number, seconds: number }> }>}
 */
export async function openConsoleClient(port, callId, plan, rereads = true) {
  const script = fileURLToPath(import.meta.url)
  const args = [script, String(port), callId, rereads ? 'rereads' : 'stream-only']
  const child = plan.enabled
    ? spawn('taskset', ['-c', String(plan.clientCore), process.execPath, ...args], {
        stdio: ['pipe', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk.toString('utf8')))
  const line = (index) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const lines = output.split('\n')
        if (lines.length > index + 1) resolve(JSON.parse(lines[index] ?? 'null'))
        else if (child.exitCode !== null) reject(new Error(`the console client exited: ${output}`))
        else setTimeout(check, 5)
      }
      check()
    })
  await line(0)
  return {
    stop: async () => {
      // Closing its stdin tells it to stop and report.
      child.stdin.end()
      return /** @type {any} */ (await line(1))
    },
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [port, callId, mode] = process.argv.slice(2)
  const stop = await watchAsThePageDoes(Number(port), String(callId), mode !== 'stream-only')
  // Its own start-up (Node, compiling the rule) is not what an open page costs: count from here.
  const startedUsage = process.cpuUsage()
  const startedAt = performance.now()
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`)
  process.stdin.resume()
  process.stdin.once('end', () => {
    void stop().then((counts) => {
      const usage = process.cpuUsage(startedUsage)
      const cpuMs = Math.round((usage.user + usage.system) / 1000)
      const seconds = Math.round((performance.now() - startedAt) / 100) / 10
      process.stdout.write(`${JSON.stringify({ ...counts, cpuMs, seconds })}\n`)
      process.exit(0)
    })
  })
}
