// In-process measurement of the SBC face's session index with few and many calls, printed as JSON:
//   node bench/sbc-lookups.js [calls]
// It feeds the built SbcSessionIndex from a real Network's domain events and times lookups by
// Call-ID and the list requests of run-scale.js (with their summaries) in CPU time, without HTTP,
// GC-heavy response bodies or the host's load in the way, so the figures show what the index costs.
import { SbcSessionIndex } from '../dist/apis/telecomx-sbc/sbc-session-index.js'
import { customerIdOf, toSbcSessionSummary } from '../dist/apis/telecomx-sbc/to-sbc-session.js'
import {
  DEFAULT_LIFECYCLE,
  DomainEvents,
  Network,
  VirtualClock,
  createFaker,
  createRandom,
} from '../dist/core/index.js'

const SUBSCRIBER = 'tel:+15550001'

function networkWith(calls) {
  const events = new DomainEvents()
  const index = new SbcSessionIndex(events)
  const network = new Network({
    clock: new VirtualClock(),
    faker: createFaker(1),
    random: createRandom(1),
    events,
    retentionMs: 60_000,
  })
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

const LISTS = [
  [{}, 0, 100],
  [{ live: true }, 0, 100],
  [{ customer: customerIdOf(SUBSCRIBER) }, 0, 50],
  [{ direction: 'O' }, 100, 100],
  [{ number: '+15551000007' }, 0, 20],
].map(([filters, offset, limit]) => [
  {
    live: false,
    international: false,
    direction: undefined,
    customer: undefined,
    number: undefined,
    ...filters,
  },
  offset,
  limit,
])

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
    const [filters, offset, limit] = LISTS[i % LISTS.length]
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
