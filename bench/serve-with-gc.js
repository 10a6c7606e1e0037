// Bench only: runs the callsim CLI unchanged, plus a SIGUSR2 handler that forces a full
// garbage collection (node --expose-gc) and prints one line of process.memoryUsage(), so
// that the scale mode can tell memory callsim still holds from pages the allocator keeps.
import v8 from 'node:v8'

process.on('SIGUSR2', () => {
  globalThis.gc?.()
  const spaces = Object.fromEntries(
    v8
      .getHeapSpaceStatistics()
      .map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size }]),
  )
  process.stderr.write(
    `callsim-bench-memory ${JSON.stringify({ ...process.memoryUsage(), spaces })}\n`,
  )
})
await import(new URL('../dist/bin/callsim.js', import.meta.url).href)
