// What an open web console costs the server: a client that holds GET /_callsim/stream open and,
// on each change batch, re-reads what the page re-reads with the calls view open on one call's
// ladder (the newest page of 50 calls and that ladder), never two reads of a kind at once.
// `npm run bench -- --console` measures callsim with and without it (docs/performance.md).
import { TextDecoder } from 'node:util'

/** Connects to the change stream of the callsim on `port`; `stop()` returns what it did. */
export async function openConsoleClient(port, callId) {
  const base = `http://127.0.0.1:${port}/_callsim`
  const controller = new AbortController()
  const response = await fetch(`${base}/stream`, { signal: controller.signal })
  if (response.status !== 200 || !response.body)
    throw new Error(`the console stream answered ${response.status}`)
  const body = response.body
  const counts = { batches: 0, reads: 0, failedReads: 0 }
  let running = false
  let again = false
  const read = async (path) => {
    const answer = await fetch(`${base}${path}`, { signal: controller.signal })
    await answer.arrayBuffer()
    counts.reads += 1
    if (answer.status !== 200) counts.failedReads += 1
  }
  const reread = async () => {
    if (running) {
      again = true
      return
    }
    running = true
    do {
      again = false
      await Promise.all([
        read('/calls?order=newest&offset=0&limit=50'),
        read(`/calls/${encodeURIComponent(callId)}/ladder`),
      ]).catch(() => undefined)
    } while (again && !controller.signal.aborted)
    running = false
  }
  const listening = (async () => {
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          if (frame.includes('event: change')) {
            counts.batches += 1
            void reread()
          }
        }
      }
    } catch {
      // Aborted by stop().
    }
  })()
  return {
    stop: async () => {
      controller.abort()
      await listening
      return counts
    },
  }
}
