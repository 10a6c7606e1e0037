/** What the buffer starts with: a few ordinary bodies. */
const FIRST_BYTES = 64 * 1024

/**
 * Texts (the journal's request and response bodies) kept as UTF-8 in one buffer of bounded size
 * outside V8's heap, the newest overwriting the oldest.
 *
 * Kept as strings, each body lived for the journal's next thousand requests: long enough to be
 * copied out of V8's young generation twice and then collected by a major GC, ~1.5 KB of a
 * POST's ~3 KB promoted (docs/performance.md). Here a body costs one copy into the buffer, and
 * the memory the bodies take is bounded by the buffer's size however large they are.
 */
export class BodyRing {
  /**
   * Its own memory, not a slice of Node's shared pool, holding the ring's first bytes: it starts
   * small when the first text arrives and doubles as texts fill it, up to `capacityBytes`. V8
   * counts a buffer's whole size as allocated at once (untouched pages and all) and runs a full
   * garbage collection whenever that count has grown by ~64 MB: a process that builds many
   * simulators (the tests build hundreds) ran one every few simulators when each ring took its
   * full size at once. Positions are taken modulo `capacityBytes` whatever its size, so growing
   * moves no text.
   */
  private bytes: Buffer | undefined
  /** Bytes ever written: the absolute position of the next text (positions grow forever). */
  private written = 0

  constructor(readonly capacityBytes: number) {}

  /**
   * Stores a text, or the UTF-8 bytes of one (copied as they are, which costs less than
   * encoding), and returns where it starts, or -1 when it is larger than the whole ring; it ends
   * where `end` is right after. A text never wraps around the end of the buffer: it starts again
   * at the front instead.
   */
  store(text: string | Uint8Array): number {
    // UTF-8 takes at most three bytes per UTF-16 unit: most texts need no exact count first.
    const atMost = typeof text === 'string' ? text.length * 3 : text.length
    let offset = this.written % this.capacityBytes
    if (offset + atMost > this.capacityBytes) {
      const length = typeof text === 'string' ? Buffer.byteLength(text) : text.length
      if (length > this.capacityBytes) return -1
      if (offset + length > this.capacityBytes) {
        this.written += this.capacityBytes - offset
        offset = 0
      }
    }
    const start = this.written
    const bytes = this.room(offset + atMost)
    if (typeof text === 'string') {
      this.written += bytes.write(text, offset, 'utf8')
    } else {
      bytes.set(text, offset)
      this.written += text.length
    }
    return start
  }

  /** The buffer, grown if need be to hold the ring's first `needed` bytes (or all of them). */
  private room(needed: number): Buffer {
    const size = this.bytes?.length ?? 0
    if (this.bytes && size >= Math.min(needed, this.capacityBytes)) return this.bytes
    const grown = Buffer.allocUnsafeSlow(
      Math.min(this.capacityBytes, Math.max(needed, size * 2, FIRST_BYTES)),
    )
    this.bytes?.copy(grown, 0, 0, size)
    this.bytes = grown
    return grown
  }

  /** Where the newest text ends, and the next one will start. */
  get end(): number {
    return this.written
  }

  /** The text stored from `start` to `end`, or undefined once newer texts overwrote it. */
  read(start: number, end: number): string | undefined {
    if (start < 0 || this.written - start > this.capacityBytes || !this.bytes) return undefined
    const offset = start % this.capacityBytes
    return this.bytes.toString('utf8', offset, offset + end - start)
  }

  clear(): void {
    this.written = 0
  }
}
