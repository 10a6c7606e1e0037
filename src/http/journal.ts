import type { Violation } from '../contract/index.js'

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
}

/** A bounded ring of recent entries: the journal must never grow with traffic. */
export class Ring<T> {
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

export const JOURNAL_CAPACITY = 1000

/** Recent requests plus callsim's own contract violations (responses and callbacks it sent). */
export class Journal {
  readonly requests = new Ring<JournalEntry>(JOURNAL_CAPACITY)
  readonly violations = new Ring<Violation & { readonly at: string }>(JOURNAL_CAPACITY)

  record(entry: Omit<JournalEntry, 'seq'>): void {
    this.requests.push({ seq: this.requests.total + 1, ...entry })
    for (const violation of entry.responseViolations) this.violations.push({ ...violation, at: entry.at })
  }

  recordViolation(violation: Violation, at: string): void {
    this.violations.push({ ...violation, at })
  }

  clear(): void {
    this.requests.clear()
    this.violations.clear()
  }
}
