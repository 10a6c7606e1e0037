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
  return (causeCode(cause) << 6) | ((ACTOR_CODES.get(by) as number) << 4) | (STATUS_CODES.get(to) as number)
}

/**
 * A call's status history. Calls stay in memory long after they are placed, so the history is
 * kept as one array of numbers, [start, code, offset, code, ...], instead of an object per
 * entry: ~100 bytes a call instead of ~500, and one object for the GC to trace instead of
 * six (docs/performance.md). Entries are built when someone reads them.
 */
export class Timeline {
  private data: number[]

  constructor(at: number, to: CallStatus, by: Actor, cause: string) {
    this.data = [at, encode(to, by, cause)]
  }

  get length(): number {
    return this.data.length / 2
  }

  /** `from` is implied: the status of the entry before. */
  add(at: number, to: CallStatus, by: Actor, cause: string): void {
    // concat allocates exactly what is needed; push would leave the array room for 16 more.
    this.data = this.data.concat([at - (this.data[0] as number), encode(to, by, cause)])
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
