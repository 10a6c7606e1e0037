/**
 * Items in the order they were made, so that the newest can be read first without walking all
 * of them (the console re-reads its newest page of calls on every batch of changes, with up to
 * 100k calls held). The owner keeps the items themselves; this list only remembers their order
 * and asks `isLive` which of them still count. Dead entries are dropped in bulk once they
 * outnumber the live ones, so appending stays O(1) on average and the list at most twice as long
 * as what it orders.
 */
export class CreationOrder<T> {
  private items: T[] = []

  constructor(
    private readonly isLive: (item: T) => boolean,
    /** The item's rank in the order it was made (a call's `sequence`). */
    private readonly rank: (item: T) => number,
  ) {}

  append(item: T, liveCount: number): void {
    this.items.push(item)
    this.compactFor(liveCount)
  }

  /**
   * An item died (a call expired): the dead are dropped once they outnumber the living, so
   * that a network whose calls all expire lets go of them even if no call is placed after.
   */
  died(liveCount: number): void {
    this.compactFor(liveCount)
  }

  private compactFor(liveCount: number): void {
    if (this.items.length > 2 * liveCount + 64) this.items = this.items.filter(this.isLive)
  }

  /**
   * Puts an item a rollback brought back where it was made, unless it is still listed: a
   * compaction in between may have dropped it while it was dead.
   */
  restore(item: T): void {
    if (this.items.includes(item)) return
    const rank = this.rank(item)
    const after = this.items.findIndex((other) => this.rank(other) > rank)
    this.items.splice(after < 0 ? this.items.length : after, 0, item)
  }

  /** Every item, to put back as it is with `replace` (what a reset's rollback needs). */
  snapshot(): readonly T[] {
    return [...this.items]
  }

  replace(items: readonly T[]): void {
    this.items = [...items]
  }

  clear(): void {
    this.items = []
  }

  /** The live items, newest first (a compaction meanwhile leaves a running walk as it was). */
  *newestFirst(): IterableIterator<T> {
    const items = this.items
    for (let index = items.length - 1; index >= 0; index -= 1) {
      const item = items[index] as T
      if (this.isLive(item)) yield item
    }
  }
}
