import type { DomainEvents } from './domain-events.js'

/**
 * One request's changes to the simulated network, held back until its answer is known to be
 * sendable (issue 16: a request that ends in an error changes nothing, and a call exists only
 * if its 201 could be sent). While a change is open, the stores record how to undo each
 * mutation and domain events wait in a queue, so that nothing outside the stores (callbacks,
 * the SBC index, logs) learns of a change that may still be taken back. `commit` lets the
 * events go; `rollback` undoes the mutations, newest first, and drops the events.
 *
 * Changes do not nest and do not span an await: the HTTP shell opens one around a handler's
 * synchronous run. What it does not undo: the seeded random numbers a rolled-back request drew.
 */
export class StateChanges {
  private undos: (() => void)[] | undefined
  private changesBegun = 0

  constructor(private readonly events: DomainEvents) {}

  /** Whether mutations are being recorded now. */
  get open(): boolean {
    return this.undos !== undefined
  }

  /**
   * Tells one change from the next: a store that records a whole object's state once per change
   * (its first mutation's undo restores everything after it) compares this to skip the rest.
   */
  get generation(): number {
    return this.changesBegun
  }

  begin(): void {
    if (this.undos !== undefined) return
    this.changesBegun += 1
    this.undos = []
    this.events.hold()
  }

  /** Stores call this with the inverse of a mutation they just made; outside a change, a no-op. */
  record(undo: () => void): void {
    this.undos?.push(undo)
  }

  /** Records how to put `map`'s entry for `key` back as it is now, present or absent. */
  keep<K, V>(map: Map<K, V>, key: K): void {
    if (this.undos === undefined) return
    const had = map.has(key)
    const value = map.get(key)
    this.undos.push(() => (had ? map.set(key, value as V) : map.delete(key)))
  }

  commit(): void {
    if (this.undos === undefined) return
    this.undos = undefined
    this.events.release()
  }

  rollback(): void {
    const undos = this.undos
    if (undos === undefined) return
    this.undos = undefined
    this.events.discard()
    for (let index = undos.length - 1; index >= 0; index -= 1) (undos[index] as () => void)()
  }
}
