/**
 * A binary min-heap of due tasks. Both clocks keep their timers here so that the number of
 * calls never turns into a number of OS timers or polling loops: one heap, one alarm.
 */
export type TimerId = number

interface Entry {
  readonly id: TimerId
  readonly at: number
  // Ties fire in the order they were scheduled, which keeps lifecycles deterministic.
  readonly seq: number
  task: (() => void) | undefined
}

export class TimerQueue {
  private readonly heap: Entry[] = []
  private readonly live = new Map<TimerId, Entry>()
  private nextId = 1

  get size(): number {
    return this.live.size
  }

  add(at: number, task: () => void): TimerId {
    const entry: Entry = { id: this.nextId, at, seq: this.nextId, task }
    this.nextId += 1
    this.live.set(entry.id, entry)
    this.heap.push(entry)
    this.siftUp(this.heap.length - 1)
    return entry.id
  }

  /** Cancelled entries stay in the heap until they surface; removal by index would cost O(n). */
  remove(id: TimerId): void {
    const entry = this.live.get(id)
    if (entry === undefined) return
    entry.task = undefined
    this.live.delete(id)
  }

  nextAt(): number | undefined {
    this.dropCancelledHead()
    return this.heap[0]?.at
  }

  /** Removes and returns the earliest task due at or before `now`, if any. */
  takeDue(now: number): { at: number; task: () => void } | undefined {
    this.dropCancelledHead()
    const head = this.heap[0]
    if (head === undefined || head.at > now || head.task === undefined) return undefined
    this.pop()
    this.live.delete(head.id)
    return { at: head.at, task: head.task }
  }

  clear(): void {
    this.heap.length = 0
    this.live.clear()
  }

  private dropCancelledHead(): void {
    while (this.heap.length > 0 && this.heap[0]?.task === undefined) this.pop()
  }

  private pop(): void {
    const last = this.heap.pop()
    if (last === undefined || this.heap.length === 0) return
    this.heap[0] = last
    this.siftDown(0)
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq)
  }

  private siftUp(index: number): void {
    const heap = this.heap
    let child = index
    while (child > 0) {
      const parent = (child - 1) >> 1
      const c = heap[child] as Entry
      const p = heap[parent] as Entry
      if (!this.less(c, p)) break
      heap[child] = p
      heap[parent] = c
      child = parent
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap
    let parent = index
    for (;;) {
      const left = parent * 2 + 1
      const right = left + 1
      let smallest = parent
      if (left < heap.length && this.less(heap[left] as Entry, heap[smallest] as Entry)) smallest = left
      if (right < heap.length && this.less(heap[right] as Entry, heap[smallest] as Entry)) smallest = right
      if (smallest === parent) return
      const tmp = heap[parent] as Entry
      heap[parent] = heap[smallest] as Entry
      heap[smallest] = tmp
      parent = smallest
    }
  }
}
