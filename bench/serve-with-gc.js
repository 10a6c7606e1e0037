// Bench only: runs the callsim CLI unchanged, plus
// - a SIGUSR2 handler that forces a full garbage collection (node --expose-gc) and reports
//   process.memoryUsage() (a numbered JSON file at CALLSIM_BENCH_MEMORY_FILE, and a line on
//   stderr), so that the scale mode can tell memory callsim still holds from pages the
//   allocator keeps;
// - when CALLSIM_BENCH_GC_FILE names a file, the main thread's GC pauses so far (count and ms,
//   per kind, from PerformanceObserver 'gc' entries), rewritten after each batch of entries,
//   so that the scale mode can report GC time per request beside CPU time per request.
import { renameSync, writeFileSync } from 'node:fs'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import v8 from 'node:v8'

/**
 * Writes aside and renames, so that a reader never sees a file half written (read as no GC
 * pauses, that made a round's GC time negative or too large).
 */
function writeWhole(file, value) {
  writeFileSync(`${file}.next`, JSON.stringify(value))
  renameSync(`${file}.next`, file)
}

const memoryFile = process.env.CALLSIM_BENCH_MEMORY_FILE
let reports = 0
process.on('SIGUSR2', () => {
  globalThis.gc?.()
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size }]),
  )
  const usage = { ...process.memoryUsage(), spaces }
  reports += 1
  // The file, because the server's output tail can lose the line behind its request log.
  if (memoryFile) writeWhole(memoryFile, { report: reports, ...usage })
  process.stderr.write(`callsim-bench-memory ${JSON.stringify(usage)}\n`)
})

const gcFile = process.env.CALLSIM_BENCH_GC_FILE
if (gcFile) {
  const KINDS = new Map([
    [constants.NODE_PERFORMANCE_GC_MINOR, 'scavenge'],
    [constants.NODE_PERFORMANCE_GC_MAJOR, 'markCompact'],
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
    [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakCallbacks'],
  ])
  /** @type {Record<string, { count: number, ms: number }>} */
  const pauses = {}
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      // Node 20 puts the GC's kind in `detail` (PerformanceEntry's type does not declare it).
      const { detail } = /** @type {{ detail?: { kind?: number } }} */ (
        /** @type {unknown} */ (entry)
      )
      const kind = KINDS.get(detail?.kind ?? -1) ?? 'other'
      const total = (pauses[kind] ??= { count: 0, ms: 0 })
      total.count += 1
      total.ms += entry.duration
    }
    writeWhole(gcFile, pauses)
  }).observe({ entryTypes: ['gc'] })
}

await import(new URL('../dist/bin/callsim.js', import.meta.url).href)
