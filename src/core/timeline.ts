import { CALL_STATUSES, type Actor, type CallStatus } from './call.js'

export interface TimelineEntry {
  readonly at: number
  readonly from: CallStatus | null
  readonly to: CallStatus
  readonly by: Actor
  readonly cause: string
}

const ACTORS: readonly Actor[] = ['A', 'B', 'S']
const STATUS_CODES = new Map(CALL_STATUSES.map((status, code) => [status, code]))
const ACTOR_CODES = new Map(ACTORS.map((actor, code) => [actor, code]))

// Causes are the network's fixed phrases ("remote party answered", ...), so each is kept once
// here and a timeline holds its index.
const CAUSES: string[] = []
const CAUSE_CODES = new Map<string, number>()

function causeCode(cause: string): number {
  let code = CAUSE_CODES.get(cause)
  if (code === undefined) {
    code = CAUSES.length
    CAUSES.push(cause)
    CAUSE_CODES.set(cause, code)
  }
  return code
}

function encode(to: CallStatus, by: Actor, cause: string): number {
  return (
    (causeCode(cause) << 6) |
    ((ACTOR_CODES.get(by) as number) << 4) |
    (STATUS_CODES.get(to) as number)
  )
}

/**
 * A call's status history. Calls stay in memory long after they are placed, so the history is
 * kept as one array of numbers, [start, code, offset, code, ...], instead of an object per
 * entry: ~100 bytes a call instead of ~500, and one object for the GC to trace instead of
 * six (docs/performance.md). Entries are built when someone reads them.
 */
export class Timeline {
  private data: number[]
  /** How many numbers of `data` hold entries; the rest is room for entries to come. */
  private used = 2

  /**
   * `expectedEntries` sizes the array for the entries the call's lifecycle will add, so that
   * its steps fill it in place: an array outgrown later, when the call already lives in V8's
   * old generation, would leave its old copy behind as old garbage.
   */
  constructor(at: number, to: CallStatus, by: Actor, cause: string, expectedEntries = 1) {
    // Array.from with a mapping function took ~4 µs here; a sized array filled in place does not.
    this.data = new Array<number>(Math.max(expectedEntries, 1) * 2).fill(0)
    this.data[0] = at
    this.data[1] = encode(to, by, cause)
  }

  get length(): number {
    return this.used / 2
  }

  /** `from` is implied: the status of the entry before. */
  add(at: number, to: CallStatus, by: Actor, cause: string): void {
    const offset = at - (this.data[0] as number)
    const code = encode(to, by, cause)
    if (this.used < this.data.length) {
      this.data[this.used] = offset
      this.data[this.used + 1] = code
    } else {
      // concat allocates exactly what is needed; push would leave the array room for 16 more.
      this.data = this.data.concat([offset, code])
    }
    this.used += 2
  }

  /** Drops the entries after the first `length`: the undo of add() (StateChanges). */
  truncate(length: number): void {
    if (length >= 1 && length < this.length) this.used = length * 2
  }

  entry(index: number): TimelineEntry | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) return undefined
    const code = this.data[index * 2 + 1] as number
    const previous = index === 0 ? undefined : (this.data[index * 2 - 1] as number)
    const start = this.data[0] as number
    return {
      at: index === 0 ? start : start + (this.data[index * 2] as number),
      from: previous === undefined ? null : (CALL_STATUSES[previous & 0xf] as CallStatus),
      to: CALL_STATUSES[code & 0xf] as CallStatus,
      by: ACTORS[(code >> 4) & 0x3] as Actor,
      cause: CAUSES[code >> 6] as string,
    }
  }

  last(): TimelineEntry {
    return this.entry(this.length - 1) as TimelineEntry
  }

  entries(): TimelineEntry[] {
    return Array.from({ length: this.length }, (_, index) => this.entry(index) as TimelineEntry)
  }
}
