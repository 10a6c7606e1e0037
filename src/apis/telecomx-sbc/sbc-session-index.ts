import { TERMINAL_STATUSES, type Call, type DomainEvents } from '../../core/index.js'
import { areInternational, customerIdOfCall, toSbcNumber } from './sbc-numbers.js'
import { directionOf, type SbcDirection } from './to-sbc-session.js'

/** The filters of listSessions, as the request stage has checked them. */
export interface SbcListFilters {
  readonly live: boolean
  readonly direction: string | undefined
  readonly international: boolean
  readonly customer: string | undefined
  /** Part of the A- or B-number. */
  readonly number: string | undefined
}

/** One page of matching calls, in the order the SBC saw their INVITEs, and how many match. */
export interface SbcListPage {
  readonly total: number
  readonly calls: readonly Call[]
}

/** A set of calls in creation order: Sets keep insertion order, and calls are added as created. */
type CallSet = ReadonlySet<Call>

const NOTHING: CallSet = new Set()

/**
 * The SBC face's view of the network, kept up to date from domain events instead of scanning
 * every call per request: calls by SIP Call-ID (what `GET /sbc/session/{callId}` asks for),
 * and a set of calls per list filter (live, direction, international, customer, each A- and
 * B-number). A list request walks only the smallest set its filters name and checks the
 * others by membership, so its cost follows that set and `offset + limit`, not the network.
 * See docs/telecomx-sbc.md ("How lookups scale") for the bounds.
 *
 * The index is built on the first SBC request, from the network's calls, and kept from then
 * on: a simulator whose clients never ask the SBC face (most CAMARA test runs) does not pay
 * for indexing every call it places (~5 µs of each createSession, measured when it was added).
 */
export class SbcSessionIndex {
  /** Whether the sets below follow the network; false until the first get or list. */
  private active = false
  /** Every held call by SIP Call-ID; its order is creation order, so it doubles as "all". */
  private readonly bySipCallId = new Map<string, Call>()
  private readonly live = new Set<Call>()
  private readonly byDirection: Record<SbcDirection, Set<Call>> = { I: new Set(), O: new Set() }
  private readonly international = new Set<Call>()
  private readonly byCustomer = new Map<string, Set<Call>>()
  /**
   * Calls by the SBC form of their A- and B-number ('+4581808888', 'anonymous'), with the forms
   * the `number` filter compares (its digits, its lower case) worked out once per number.
   */
  private readonly byNumber = new Map<string, NumberEntry>()

  /**
   * @param events the network's domain events, which keep the index current once it is built
   * @param calls the network's calls in creation order, read once when the index is built
   */
  constructor(
    events: DomainEvents,
    private readonly calls: () => Iterable<Call>,
  ) {
    events.subscribe((event) => {
      if (!this.active) return
      switch (event.type) {
        case 'call:created':
          this.add(event.call)
          return
        case 'call:status-changed':
          if (TERMINAL_STATUSES.has(event.to)) this.live.delete(event.call)
          return
        case 'call:expired':
          this.remove(event.call)
          return
        default:
          return
      }
    })
  }

  get(sipCallId: string): Call | undefined {
    this.activate()
    return this.bySipCallId.get(sipCallId)
  }

  /**
   * Forgets every call (the control API's reset, which clears the network without events) and
   * waits for the next SBC request to build the index again.
   */
  reset(): void {
    this.active = false
    this.bySipCallId.clear()
    this.live.clear()
    this.byDirection.I.clear()
    this.byDirection.O.clear()
    this.international.clear()
    this.byCustomer.clear()
    this.byNumber.clear()
  }

  list(filters: SbcListFilters, offset: number, limit: number): SbcListPage {
    this.activate()
    const sets: CallSet[] = []
    if (filters.live) sets.push(this.live)
    if (filters.direction !== undefined)
      sets.push(this.byDirection[filters.direction as SbcDirection] ?? NOTHING)
    if (filters.international) sets.push(this.international)
    if (filters.customer !== undefined) sets.push(this.byCustomer.get(filters.customer) ?? NOTHING)
    if (filters.number !== undefined && filters.number !== '')
      sets.push(this.withNumber(filters.number))
    if (sets.length === 0)
      return pageOf(this.bySipCallId.values(), this.bySipCallId.size, offset, limit)
    let smallest = sets[0] as CallSet
    for (const set of sets) if (set.size < smallest.size) smallest = set
    if (sets.length === 1) return pageOf(smallest.values(), smallest.size, offset, limit)
    // Several filters: the total counts every call in all of them, so the smallest set is
    // walked once, and each of its calls is looked up in the others.
    const others = sets.filter((set) => set !== smallest)
    const calls: Call[] = []
    let total = 0
    for (const call of smallest) {
      if (!others.every((set) => set.has(call))) continue
      if (total >= offset && calls.length < limit) calls.push(call)
      total += 1
    }
    return { total, calls }
  }

  /**
   * The calls whose A- or B-number contains `needle`: digits are compared without the '+',
   * which a client may leave out (and which an unencoded query string turns into a space);
   * a needle without digits is compared as text ('anonymous'). This walks the distinct
   * numbers, not the calls; a needle that matches several numbers merges their calls.
   */
  private withNumber(needle: string): CallSet {
    const digits = needle.replace(/[^0-9]/g, '')
    const text = needle.trim().toLowerCase()
    const matched: CallSet[] = []
    for (const entry of this.byNumber.values())
      if (digits !== '' ? entry.digits.includes(digits) : entry.lowerCase.includes(text))
        matched.push(entry.calls)
    if (matched.length <= 1) return matched[0] ?? NOTHING
    const merged = new Set<Call>()
    for (const calls of matched) for (const call of calls) merged.add(call)
    // Back to creation order: the SBC lists sessions in the order it saw their INVITEs.
    return new Set([...merged].sort((a, b) => a.sequence - b.sequence))
  }

  /** Builds the sets from the network's calls, once; domain events keep them current after. */
  private activate(): void {
    if (this.active) return
    this.active = true
    for (const call of this.calls()) this.add(call)
  }

  private add(call: Call): void {
    this.bySipCallId.set(call.sipCallId, call)
    if (!TERMINAL_STATUSES.has(call.status)) this.live.add(call)
    this.byDirection[directionOf(call)].add(call)
    const aNumber = toSbcNumber(call.originator.address)
    const bNumber = toSbcNumber(call.receiver.address)
    if (areInternational(aNumber, bNumber)) this.international.add(call)
    addTo(this.byCustomer, customerIdOfCall(call), call)
    this.addNumber(aNumber, call)
    this.addNumber(bNumber, call)
  }

  private remove(call: Call): void {
    if (this.bySipCallId.get(call.sipCallId) !== call) return
    this.bySipCallId.delete(call.sipCallId)
    this.live.delete(call)
    this.byDirection[directionOf(call)].delete(call)
    this.international.delete(call)
    removeFrom(this.byCustomer, customerIdOfCall(call), call)
    this.removeNumber(toSbcNumber(call.originator.address), call)
    this.removeNumber(toSbcNumber(call.receiver.address), call)
  }

  private addNumber(number: string, call: Call): void {
    const entry = this.byNumber.get(number)
    if (entry) entry.calls.add(call)
    else
      this.byNumber.set(number, {
        digits: number.replace(/[^0-9]/g, ''),
        lowerCase: number.toLowerCase(),
        calls: new Set([call]),
      })
  }

  private removeNumber(number: string, call: Call): void {
    const entry = this.byNumber.get(number)
    if (!entry) return
    entry.calls.delete(call)
    if (entry.calls.size === 0) this.byNumber.delete(number)
  }
}

/** One A- or B-number's calls, with the number as the `number` filter compares it. */
interface NumberEntry {
  readonly digits: string
  readonly lowerCase: string
  readonly calls: Set<Call>
}

/** `limit` calls after skipping `offset`: the cost is offset + limit, whatever the set's size. */
function pageOf(calls: Iterator<Call>, total: number, offset: number, limit: number): SbcListPage {
  const page: Call[] = []
  if (offset >= total) return { total, calls: page }
  let index = 0
  for (let next = calls.next(); !next.done && page.length < limit; next = calls.next()) {
    if (index >= offset) page.push(next.value)
    index += 1
  }
  return { total, calls: page }
}

function addTo(map: Map<string, Set<Call>>, key: string, call: Call): void {
  const set = map.get(key)
  if (set) set.add(call)
  else map.set(key, new Set([call]))
}

function removeFrom(map: Map<string, Set<Call>>, key: string, call: Call): void {
  const set = map.get(key)
  if (!set) return
  set.delete(call)
  if (set.size === 0) map.delete(key)
}
