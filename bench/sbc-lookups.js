// In-process measurement of the SBC face's session index with few and many calls, printed as JSON:
//   node bench/sbc-lookups.js [calls]
// It feeds the built SbcSessionIndex from a real Network's domain events and times lookups by
// Call-ID and the list requests of run-scale.js (with their summaries) in CPU time, without HTTP,
// GC-heavy response bodies or the host's load in the way, so the figures show what the index costs.
// The built code, imported by URL so that the type-check reads the types of src/ it is built from.
/** @type {typeof import('../src/apis/telecomx-sbc/sbc-session-index.js')} */
const indexModule = await import(
  new URL('../dist/apis/telecomx-sbc/sbc-session-index.js', import.meta.url).href
)
/** @type {typeof import('../src/apis/telecomx-sbc/to-sbc-session.js')} */
const projection = await import(
  new URL('../dist/apis/telecomx-sbc/to-sbc-session.js', import.meta.url).href
)
/** @type {typeof import('../src/apis/telecomx-sbc/sbc-numbers.js')} */
const numbers = await import(
  new URL('../dist/apis/telecomx-sbc/sbc-numbers.js', import.meta.url).href
)
/** @type {typeof import('../src/core/index.js')} */
const core = await import(new URL('../dist/core/index.js', import.meta.url).href)
const { SbcSessionIndex } = indexModule
const { toSbcSessionSummary } = projection
const { customerIdOf } = numbers
const { DEFAULT_LIFECYCLE, DomainEvents, Network, VirtualClock, createFaker, createRandom } = core

const SUBSCRIBER = 'tel:+15550001'

function networkWith(calls) {
  const events = new DomainEvents()
  /** @type {import('../src/core/index.js').Network} */
  let network
  const index = new SbcSessionIndex(events, () => network.allCalls())
  network = new Network({
    clock: new VirtualClock(),
    faker: createFaker(1),
    random: createRandom(1),
    events,
    retentionMs: 60_000,
  })
  // The index builds itself on its first use; from then on domain events keep it, as here.
  index.get('')
  const sipCallIds = []
  for (let i = 0; i < calls; i += 1) {
    const { call } = network.placeCall({
      originator: { address: SUBSCRIBER },
      // 64 callees, as the HTTP scale run uses.
      receiver: { address: `tel:+1555100${String(i % 64).padStart(4, '0')}` },
      offer: { sdp: 'v=0\r\n' },
      owner: SUBSCRIBER,
      scenarioId: 'default',
      lifecycle: DEFAULT_LIFECYCLE,
    })
    sipCallIds.push(call.sipCallId)
  }
  return { index, sipCallIds }
}

/** @type {import('../src/apis/telecomx-sbc/sbc-session-index.js').SbcListFilters} */
const NO_FILTER = {
  live: false,
  international: false,
  direction: undefined,
  customer: undefined,
  number: undefined,
}
/** @type {{ filters: typeof NO_FILTER, offset: number, limit: number }[]} */
const LISTS = [
  { filters: NO_FILTER, offset: 0, limit: 100 },
  { filters: { ...NO_FILTER, live: true }, offset: 0, limit: 100 },
  { filters: { ...NO_FILTER, customer: customerIdOf(SUBSCRIBER) }, offset: 0, limit: 50 },
  { filters: { ...NO_FILTER, direction: 'O' }, offset: 100, limit: 100 },
  { filters: { ...NO_FILTER, number: '+15551000007' }, offset: 0, limit: 20 },
]

/** This process's CPU time in ms: unlike wall time, other processes on a busy host do not count. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1000
}

/** Operations per CPU second of `operation`, over `ms` milliseconds of CPU time. */
function rate(operation, ms = 500) {
  let count = 0
  const start = cpuMs()
  while (cpuMs() - start < ms) {
    for (let i = 0; i < 100; i += 1) operation(count + i)
    count += 100
  }
  return count / ((cpuMs() - start) / 1000)
}

const calls = Number(process.argv[2] ?? 100_000)
const small = networkWith(1000)
const large = networkWith(calls)
const measure = ({ index, sipCallIds }) => ({
  get: rate((i) => index.get(sipCallIds[(i * 7919) % sipCallIds.length])),
  list: rate((i) => {
    const { filters, offset, limit } = LISTS[i % LISTS.length] ?? {
      filters: NO_FILTER,
      offset: 0,
      limit: 1,
    }
    return index.list(filters, offset, limit).calls.map(toSbcSessionSummary)
  }),
})
const rounds = []
for (let round = 0; round < 3; round += 1)
  rounds.push({ small: measure(small), large: measure(large) })
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const summary = (operation) => ({
  smallPerSec: median(rounds.map((r) => r.small[operation])),
  largePerSec: median(rounds.map((r) => r.large[operation])),
  ratio: median(rounds.map((r) => r.large[operation] / r.small[operation])),
})
process.stdout.write(`${JSON.stringify({ calls, get: summary('get'), list: summary('list') })}\n`)
