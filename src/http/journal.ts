import type { Violation } from '../contract/index.js'
import { BodyRing } from './body-ring.js'

/** One request as callsim saw it, with what validation and scenarios made of it. */
export interface JournalEntry {
  readonly seq: number
  /** Simulator time (ISO 8601), so that virtual-clock runs journal reproducibly. */
  readonly at: string
  readonly method: string
  readonly path: string
  readonly face: string | undefined
  readonly operationId: string | undefined
  readonly status: number
  readonly durationMs: number
  readonly correlator: string | undefined
  readonly requestViolations: readonly Violation[]
  readonly responseViolations: readonly Violation[]
  readonly scenarioId: string | undefined
  readonly fault: string | undefined
  /** The network call the exchange was about, when the face named one. */
  readonly callId?: string | undefined
  /**
   * The request and response bodies as they were on the wire (read with `withBodies`), while
   * the newer entries' bodies leave room for them (JOURNAL_BODY_BYTES).
   */
  readonly requestBody?: string | undefined
  readonly responseBody?: string | undefined
  /** The exchange had a request body, but newer bodies took its room (or it outgrew the ring). */
  readonly requestBodyDropped?: true
  /** Likewise for the response body. */
  readonly responseBodyDropped?: true
}

/**
 * What a finished exchange records: its entry, not yet numbered. The request body may be the
 * bytes received, which the journal keeps without decoding them first.
 */
export type RecordedExchange = Omit<JournalEntry, 'seq' | 'requestBody'> & {
  readonly requestBody?: string | Uint8Array | undefined
}

/** A bounded ring of recent entries: the journal must never grow with traffic. */
class Ring<T> {
  private readonly items: T[] = []
  private start = 0
  total = 0

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    this.total += 1
    if (this.items.length < this.capacity) {
      this.items.push(item)
      return
    }
    this.items[this.start] = item
    this.start = (this.start + 1) % this.capacity
  }

  /** Newest last. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)]
  }

  clear(): void {
    this.items.length = 0
    this.start = 0
    this.total = 0
  }
}

const JOURNAL_CAPACITY = 1000

/** 8 MiB: the bodies of the last 1000 exchanges as long as they average under ~8 KiB. */
const JOURNAL_BODY_BYTES = 8 * 1024 * 1024

/**
 * 2 MiB for the control API's own exchanges, apart: an open console reads pages of calls of
 * ~50 KB several times a second, and in one ring they would push out the faces' bodies, which
 * are what its ladders show, within a minute.
 */
const JOURNAL_CONTROL_BODY_BYTES = 2 * 1024 * 1024

const NO_VIOLATIONS: readonly Violation[] = Object.freeze([])
/**
 * Where the body of an exchange that had none starts. Not -1: the ring answers -1 for a body
 * larger than itself, which the journal reports as dropped.
 */
const NO_BODY = -2

/**
 * The recent requests, newest last, kept as one array per field that entries are written
 * into in place. An entry lives for the next thousand requests, long enough to be promoted
 * out of V8's young generation, so an object per entry (and its copy) became old garbage on
 * every request (docs/performance.md). Entries are built when someone reads them.
 */
export class RequestLog {
  total = 0
  private readonly at: string[]
  private readonly method: string[]
  private readonly path: string[]
  private readonly face: (string | undefined)[]
  private readonly operationId: (string | undefined)[]
  private readonly status: number[]
  private readonly durationMs: Float64Array
  private readonly correlator: (string | undefined)[]
  private readonly requestViolations: (readonly Violation[])[]
  private readonly responseViolations: (readonly Violation[])[]
  private readonly scenarioId: (string | undefined)[]
  private readonly fault: (string | undefined)[]
  private readonly callId: (string | undefined)[]
  /** Where each entry's bodies are in its ring (NO_BODY: none; -1: one too large to keep). */
  private readonly requestBodyStart: Float64Array
  private readonly requestBodyEnd: Float64Array
  private readonly responseBodyStart: Float64Array
  private readonly responseBodyEnd: Float64Array
  /** 1 for the control API's own exchanges, whose bodies are in `controlBodies`. */
  private readonly controlPlane: Uint8Array
  private readonly bodies: BodyRing
  private readonly controlBodies: BodyRing

  constructor(
    private readonly capacity: number,
    bodyBytes = JOURNAL_BODY_BYTES,
    controlBodyBytes = JOURNAL_CONTROL_BODY_BYTES,
  ) {
    // A loop rather than Array.from's callback per slot, which made the eleven columns ~1 ms
    // of every simulator the tests create; push keeps the array packed (no holes) as before.
    const column = <T>(empty: T): T[] => {
      const values: T[] = []
      for (let slot = 0; slot < capacity; slot += 1) values.push(empty)
      return values
    }
    this.at = column('')
    this.method = column('')
    this.path = column('')
    this.face = column<string | undefined>(undefined)
    this.operationId = column<string | undefined>(undefined)
    this.status = column(0)
    this.durationMs = new Float64Array(capacity)
    this.correlator = column<string | undefined>(undefined)
    this.requestViolations = column(NO_VIOLATIONS)
    this.responseViolations = column(NO_VIOLATIONS)
    this.scenarioId = column<string | undefined>(undefined)
    this.fault = column<string | undefined>(undefined)
    this.callId = column<string | undefined>(undefined)
    this.requestBodyStart = new Float64Array(capacity).fill(NO_BODY)
    this.requestBodyEnd = new Float64Array(capacity)
    this.responseBodyStart = new Float64Array(capacity).fill(NO_BODY)
    this.responseBodyEnd = new Float64Array(capacity)
    this.controlPlane = new Uint8Array(capacity)
    this.bodies = new BodyRing(bodyBytes)
    this.controlBodies = new BodyRing(controlBodyBytes)
  }

  push(entry: RecordedExchange, controlPlane = false): void {
    const slot = this.total % this.capacity
    this.total += 1
    this.at[slot] = entry.at
    this.method[slot] = entry.method
    this.path[slot] = entry.path
    this.face[slot] = entry.face
    this.operationId[slot] = entry.operationId
    this.status[slot] = entry.status
    this.durationMs[slot] = entry.durationMs
    this.correlator[slot] = entry.correlator
    // Most requests have no violations; their empty arrays need not outlive them.
    this.requestViolations[slot] =
      entry.requestViolations.length === 0 ? NO_VIOLATIONS : entry.requestViolations
    this.responseViolations[slot] =
      entry.responseViolations.length === 0 ? NO_VIOLATIONS : entry.responseViolations
    this.scenarioId[slot] = entry.scenarioId
    this.fault[slot] = entry.fault
    this.callId[slot] = entry.callId
    // The exact bodies of an exchange, for the console, outside V8's heap (body-ring.ts).
    this.controlPlane[slot] = controlPlane ? 1 : 0
    const ring = controlPlane ? this.controlBodies : this.bodies
    const { requestBody, responseBody } = entry
    this.requestBodyStart[slot] = requestBody === undefined ? NO_BODY : ring.store(requestBody)
    this.requestBodyEnd[slot] = ring.end
    this.responseBodyStart[slot] = responseBody === undefined ? NO_BODY : ring.store(responseBody)
    this.responseBodyEnd[slot] = ring.end
  }

  /** The newest `limit` entries, newest last; bodies only `withBodies`, as they can be large. */
  toArray(withBodies = false, limit = Number.POSITIVE_INFINITY): JournalEntry[] {
    const count = Math.min(this.total, this.capacity, limit)
    const firstSeq = this.total - count + 1
    return Array.from({ length: count }, (_, index) => this.entryAt(firstSeq + index, withBodies))
  }

  /**
   * The entries about one call, newest last. Only those are built: a console that re-reads a
   * call's ladder on every change must not pay for the whole journal each time.
   */
  entriesOfCall(callId: string, withBodies = false): JournalEntry[] {
    const count = Math.min(this.total, this.capacity)
    const entries: JournalEntry[] = []
    for (let seq = this.total - count + 1; seq <= this.total; seq += 1)
      if (this.callId[(seq - 1) % this.capacity] === callId)
        entries.push(this.entryAt(seq, withBodies))
    return entries
  }

  /**
   * Visits the call ids of the entries recorded after sequence number `afterSeq` that the log
   * still keeps, oldest first, leaving out the control API's own. The console's change stream
   * reads them once per batch, so that a request costs it nothing but a flag.
   */
  visitCallIdsAfter(afterSeq: number, visit: (callId: string) => void): void {
    const first = Math.max(afterSeq, this.total - Math.min(this.total, this.capacity)) + 1
    for (let seq = first; seq <= this.total; seq += 1) {
      const slot = (seq - 1) % this.capacity
      const callId = this.callId[slot]
      if (callId !== undefined && this.controlPlane[slot] === 0) visit(callId)
    }
  }

  private entryAt(seq: number, withBodies: boolean): JournalEntry {
    const slot = (seq - 1) % this.capacity
    const entry: JournalEntry = {
      seq,
      at: this.at[slot] as string,
      method: this.method[slot] as string,
      path: this.path[slot] as string,
      face: this.face[slot],
      operationId: this.operationId[slot],
      status: this.status[slot] as number,
      durationMs: this.durationMs[slot] as number,
      correlator: this.correlator[slot],
      requestViolations: this.requestViolations[slot] as readonly Violation[],
      responseViolations: this.responseViolations[slot] as readonly Violation[],
      scenarioId: this.scenarioId[slot],
      fault: this.fault[slot],
      callId: this.callId[slot],
    }
    if (!withBodies) return entry
    const bodies = this.controlPlane[slot] === 1 ? this.controlBodies : this.bodies
    const requestStart = this.requestBodyStart[slot] ?? NO_BODY
    const responseStart = this.responseBodyStart[slot] ?? NO_BODY
    const requestBody = bodies.read(requestStart, this.requestBodyEnd[slot] ?? 0)
    const responseBody = bodies.read(responseStart, this.responseBodyEnd[slot] ?? 0)
    return {
      ...entry,
      requestBody,
      responseBody,
      ...(requestBody === undefined && requestStart !== NO_BODY && { requestBodyDropped: true }),
      ...(responseBody === undefined && responseStart !== NO_BODY && { responseBodyDropped: true }),
    }
  }

  clear(): void {
    this.total = 0
    // Let go of the strings and violations the old entries held.
    this.path.fill('')
    this.correlator.fill(undefined)
    this.callId.fill(undefined)
    this.requestBodyStart.fill(NO_BODY)
    this.responseBodyStart.fill(NO_BODY)
    this.bodies.clear()
    this.controlBodies.clear()
    this.requestViolations.fill(NO_VIOLATIONS)
    this.responseViolations.fill(NO_VIOLATIONS)
  }
}

/** Recent requests plus callsim's own contract violations (responses and callbacks it sent). */
export class Journal {
  readonly requests = new RequestLog(JOURNAL_CAPACITY)
  readonly violations = new Ring<Violation & { readonly at: string }>(JOURNAL_CAPACITY)
  /** `onRecord` hears every finished exchange (the simulator's request log line). */
  constructor(private readonly onRecord?: (entry: RecordedExchange) => void) {}

  /**
   * Hears that something was recorded (the console's live stream); `controlPlane` marks the
   * control API's own requests, which the console makes itself. Which calls the requests were
   * about, the stream reads from `requests` when it sends a batch (visitCallIdsAfter).
   */
  onChange: ((controlPlane: boolean) => void) | undefined = undefined

  record(entry: RecordedExchange, controlPlane = false): void {
    this.requests.push(entry, controlPlane)
    for (const violation of entry.responseViolations)
      this.violations.push({ ...violation, at: entry.at })
    this.onRecord?.(entry)
    this.onChange?.(controlPlane)
  }

  recordViolation(violation: Violation, at: string): void {
    this.violations.push({ ...violation, at })
    this.onChange?.(false)
  }

  clear(): void {
    this.requests.clear()
    this.violations.clear()
  }
}
