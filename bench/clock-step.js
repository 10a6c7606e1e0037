// In-process measurement of the virtual clock with many live calls, printed as JSON:
//   node --expose-gc bench/clock-step.js [calls]
// It drives the built core directly (Network + VirtualClock), the same objects the admin
// API's POST /_callsim/clock moves, to time one clock step without HTTP in the way.

// The built core, imported by URL so that the type-check reads the types of src/ it is built from.
/** @type {typeof import('../src/core/index.js')} */
const core = await import(new URL('../dist/core/index.js', import.meta.url).href)
const { DEFAULT_LIFECYCLE, DomainEvents, Network, VirtualClock, createFaker, createRandom } = core

const calls = Number(process.argv[2] ?? 100_000)
const RETENTION_MS = 60_000
const clock = new VirtualClock()
const network = new Network({
  clock,
  faker: createFaker(1),
  random: createRandom(1),
  events: new DomainEvents(),
  retentionMs: RETENTION_MS,
})
const heapMb = () => {
  globalThis.gc?.()
  return process.memoryUsage().heapUsed / 2 ** 20
}
const time = (fn) => {
  const start = performance.now()
  const value = fn()
  return { ms: performance.now() - start, value }
}

const heapBefore = heapMb()
const ids = []
const placed = time(() => {
  for (let i = 0; i < calls; i += 1) {
    const { call } = network.placeCall({
      originator: { address: 'tel:+15550001' },
      receiver: { address: `tel:+1555${String(i).padStart(7, '0')}` },
      offer: { sdp: 'v=0\r\n' },
      owner: 'tel:+15550001',
      scenarioId: 'default',
      lifecycle: DEFAULT_LIFECYCLE,
    })
    ids.push(call.id)
  }
})
const pendingAfterPlace = clock.pending()
const heapLive = heapMb()
// DEFAULT_LIFECYCLE: InProgress at 200 ms and Ringing at 1 s, so one step of 1 s fires two
// tasks per call and leaves every call ringing with its answer timer queued.
const ringing = time(() => clock.advance(1000))
const allRinging = ids.every((id) => network.getCall(id)?.status === 'Ringing')
const answered = time(() => clock.advance(3000))
const ended = time(() => {
  for (const id of ids) network.endCall(id)
})
const expired = time(() => clock.advance(RETENTION_MS))
ids.length = 0
const heapAfter = heapMb()

process.stdout.write(
  `${JSON.stringify({
    calls,
    placeMs: placed.ms,
    pendingTimersAfterPlace: pendingAfterPlace,
    ringingStep: { advanceMs: 1000, ms: ringing.ms, fired: ringing.value, allRinging },
    answerStep: { advanceMs: 3000, ms: answered.ms, fired: answered.value },
    endAllMs: ended.ms,
    expiryStep: { advanceMs: RETENTION_MS, ms: expired.ms, fired: expired.value },
    callsLeft: network.size,
    pendingTimersLeft: clock.pending(),
    heapMb: { before: heapBefore, live: heapLive, afterExpiry: heapAfter },
  })}\n`,
)
