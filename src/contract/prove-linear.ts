// Decides whether a JavaScript regular expression provably runs in linear time on V8's
// backtracking engine, so that it may keep the native engine (fast) instead of the linear
// one (re2js, several times slower on short strings). docs/decisions/008-linear-patterns.md
// explains the choice; this file is the proof.
//
// The argument: a backtracking engine is slow only when several paths through the pattern
// consume the same input, so that a failure makes it retry them all. Take a pattern that
// (1) is anchored with a leading `^`, so that it is tried from one start only,
// (2) is deterministic in the sense of Brüggemann-Klein and Wood (its Glushkov automaton
//     has, from every position, at most one next position for any character),
// (3) repeats nothing that can match the empty string and has no two empty alternatives,
//     so that no two paths differ only in steps that consume nothing, and
// (4) reaches every step from one position to the next along one route only (not both
//     through an inner and an outer loop, as in `(a+)+`).
// Then at most one path is alive after each character; every other branch of a choice dies
// before it consumes a character, within a number of steps bounded by the pattern's size.
// So the work is O(input × pattern²): linear in the input. Anything this file does not
// understand (lookaround, backreferences, word boundaries, flags) is simply not proven.
//
// Over 300 lines on purpose: the parser below reads only the subset the proof covers and throws
// NotProven for the rest, so parser and proof are one argument; apart, the parser would be a
// partial regular-expression parser with no other use.

/** A set of code points: sorted, disjoint, inclusive ranges. */
type CharSet = readonly (readonly [number, number])[]

type PatternNode =
  | { readonly kind: 'char'; readonly set: CharSet }
  | { readonly kind: 'seq'; readonly items: readonly PatternNode[] }
  | { readonly kind: 'alt'; readonly options: readonly PatternNode[] }
  | {
      readonly kind: 'repeat'
      readonly body: PatternNode
      readonly min: number
      readonly max: number
    }

const MAX_CODE_POINT = 0x10ffff
/** Longer patterns are not analysed: the proof is quadratic in the pattern's size. */
const MAX_SOURCE_LENGTH = 2000

/** Thrown by the parser for anything outside the analysed subset; never escapes this file. */
class NotProven extends Error {}

function normalise(ranges: (readonly [number, number])[]): CharSet {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1]
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi)
    else merged.push([lo, hi])
  }
  return merged
}

function complement(set: CharSet): CharSet {
  const out: [number, number][] = []
  let next = 0
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1])
    next = hi + 1
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT])
  return out
}

function intersects(a: CharSet, b: CharSet): boolean {
  let i = 0
  let j = 0
  while (i < a.length && j < b.length) {
    const [aLo, aHi] = a[i] as readonly [number, number]
    const [bLo, bHi] = b[j] as readonly [number, number]
    if (aLo <= bHi && bLo <= aHi) return true
    if (aHi < bHi) i += 1
    else j += 1
  }
  return false
}

const code = (char: string): number => char.codePointAt(0) as number
const DIGIT: CharSet = [[0x30, 0x39]]
const WORD: CharSet = normalise([
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x5f, 0x5f],
  [0x61, 0x7a],
])
// ECMAScript WhiteSpace and LineTerminator, what `\s` matches.
const SPACE: CharSet = normalise([
  [0x09, 0x0d],
  [0x20, 0x20],
  [0xa0, 0xa0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x2028, 0x2029],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
])
// `.` without the s flag: anything but a line terminator.
const DOT: CharSet = complement(
  normalise([
    [0x0a, 0x0a],
    [0x0d, 0x0d],
    [0x2028, 0x2029],
  ]),
)
const CLASS_ESCAPES: Readonly<Record<string, CharSet>> = {
  d: DIGIT,
  D: complement(DIGIT),
  w: WORD,
  W: complement(WORD),
  s: SPACE,
  S: complement(SPACE),
}
const CONTROL_ESCAPES: Readonly<Record<string, number>> = {
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  f: 0x0c,
  v: 0x0b,
  0: 0x00,
}

/** A recursive-descent parser for the subset of JavaScript regular expressions analysed here. */
class Parser {
  private at = 0
  constructor(private readonly source: string) {}

  /** The whole pattern: `^`, a sequence without top-level `|`, and an optional final `$`. */
  parsePattern(): PatternNode {
    if (this.source[0] !== '^') throw new NotProven()
    this.at = 1
    const body = this.parseSequence(true)
    if (this.at < this.source.length) throw new NotProven()
    return body
  }

  private peek(): string | undefined {
    return this.source[this.at]
  }

  private parseAlternation(): PatternNode {
    const options = [this.parseSequence(false)]
    while (this.peek() === '|') {
      this.at += 1
      options.push(this.parseSequence(false))
    }
    return options.length === 1 ? (options[0] as PatternNode) : { kind: 'alt', options }
  }

  private parseSequence(topLevel: boolean): PatternNode {
    const items: PatternNode[] = []
    for (;;) {
      const char = this.peek()
      if (char === undefined || char === ')') break
      if (char === '|') {
        // `^a|b` anchors only its first alternative.
        if (topLevel) throw new NotProven()
        break
      }
      if (char === '$') {
        // Only as the very last character: the end of the input, nothing after it.
        if (!topLevel || this.at !== this.source.length - 1) throw new NotProven()
        this.at += 1
        break
      }
      items.push(this.parseQuantified(this.parseAtom()))
    }
    return items.length === 1 ? (items[0] as PatternNode) : { kind: 'seq', items }
  }

  private parseQuantified(atom: PatternNode): PatternNode {
    const char = this.peek()
    let min: number
    let max: number
    if (char === '*') [min, max] = [0, Infinity]
    else if (char === '+') [min, max] = [1, Infinity]
    else if (char === '?') [min, max] = [0, 1]
    else if (char === '{') {
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at))
      if (!counted) throw new NotProven()
      min = Number(counted[1])
      max = counted[2] === undefined ? min : counted[3] === '' ? Infinity : Number(counted[3])
      this.at += counted[0].length - 1
    } else return atom
    this.at += 1
    // Lazy or greedy does not matter: with one live path, the order of tries does not either.
    if (this.peek() === '?') this.at += 1
    if (max === 0 || min > max) throw new NotProven()
    return { kind: 'repeat', body: atom, min, max }
  }

  private parseAtom(): PatternNode {
    const char = this.peek() as string
    if (char === '(') return this.parseGroup()
    if (char === '[') return { kind: 'char', set: this.parseClass() }
    if (char === '.') {
      this.at += 1
      return { kind: 'char', set: DOT }
    }
    if ('*+?{}]^'.includes(char)) throw new NotProven()
    if (char === '\\') {
      const escaped = this.source[this.at + 1]
      if (escaped !== undefined && escaped in CLASS_ESCAPES) {
        this.at += 2
        return { kind: 'char', set: CLASS_ESCAPES[escaped] as CharSet }
      }
    }
    const point = this.parseCharacter()
    return { kind: 'char', set: [[point, point]] }
  }

  private parseGroup(): PatternNode {
    this.at += 1
    if (this.source.startsWith('?:', this.at)) this.at += 2
    else if (/^\?<[A-Za-z_$][\w$]*>/.test(this.source.slice(this.at))) {
      this.at = this.source.indexOf('>', this.at) + 1
    } else if (this.peek() === '?') throw new NotProven() // lookaround
    const body = this.parseAlternation()
    if (this.peek() !== ')') throw new NotProven()
    this.at += 1
    return body
  }

  private parseClass(): CharSet {
    this.at += 1
    const negated = this.peek() === '^'
    if (negated) this.at += 1
    const ranges: (readonly [number, number])[] = []
    let first = true
    for (;;) {
      const char = this.peek()
      if (char === undefined) throw new NotProven()
      if (char === ']' && !first) break
      first = false
      if (char === '\\') {
        const escaped = this.source[this.at + 1]
        if (escaped !== undefined && escaped in CLASS_ESCAPES) {
          this.at += 2
          ranges.push(...(CLASS_ESCAPES[escaped] as CharSet))
          continue
        }
      }
      const lo = this.parseCharacter(true)
      if (this.peek() === '-' && this.source[this.at + 1] !== ']') {
        this.at += 1
        const hi = this.parseCharacter(true)
        if (hi < lo) throw new NotProven()
        ranges.push([lo, hi])
      } else ranges.push([lo, lo])
    }
    this.at += 1
    const set = normalise(ranges)
    return negated ? complement(set) : set
  }

  /** One literal character, escaped or not; `inClass` makes `\b` a backspace. */
  private parseCharacter(inClass = false): number {
    const char = this.peek()
    if (char === undefined) throw new NotProven()
    if (char !== '\\') {
      const point = code(this.source.slice(this.at))
      this.at += point > 0xffff ? 2 : 1
      return point
    }
    const escaped = this.source[this.at + 1]
    if (escaped === undefined) throw new NotProven()
    this.at += 2
    if (escaped in CONTROL_ESCAPES) {
      // `\0` followed by a digit would be a legacy octal escape.
      if (escaped === '0' && /\d/.test(this.peek() ?? '')) throw new NotProven()
      return CONTROL_ESCAPES[escaped] as number
    }
    if (escaped === 'b' && inClass) return 0x08
    const hex = /^(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|u\{([0-9A-Fa-f]{1,6})\})/.exec(
      this.source.slice(this.at - 1),
    )
    if (hex) {
      this.at += hex[0].length - 1
      return parseInt(hex[1] ?? hex[2] ?? hex[3] ?? '', 16)
    }
    // Backreferences, \b \B \k \p \c and the like are outside the analysed subset.
    if (/[A-Za-z0-9]/.test(escaped)) throw new NotProven()
    return code(escaped)
  }
}

interface GlushkovInfo {
  readonly nullable: boolean
  readonly first: readonly number[]
  readonly last: readonly number[]
}

/** The Glushkov automaton: one position per character test, and what may follow each. */
class Automaton {
  readonly positions: CharSet[] = []
  readonly follow: Set<number>[] = []

  build(node: PatternNode): GlushkovInfo {
    switch (node.kind) {
      case 'char': {
        const position = this.positions.push(node.set) - 1
        this.follow.push(new Set())
        return { nullable: false, first: [position], last: [position] }
      }
      case 'seq': {
        let nullable = true
        let first: number[] = []
        let last: number[] = []
        for (const item of node.items) {
          const info = this.build(item)
          this.link(last, info.first)
          first = nullable ? [...first, ...info.first] : first
          last = info.nullable ? [...last, ...info.last] : [...info.last]
          nullable &&= info.nullable
        }
        return { nullable, first, last }
      }
      case 'alt': {
        const infos = node.options.map((option) => this.build(option))
        // Two alternatives that match the empty string are two paths over the same input.
        if (infos.filter((info) => info.nullable).length > 1) throw new NotProven()
        return {
          nullable: infos.some((info) => info.nullable),
          first: infos.flatMap((info) => info.first),
          last: infos.flatMap((info) => info.last),
        }
      }
      case 'repeat': {
        const info = this.build(node.body)
        // Repeating what can match nothing gives paths that differ only in empty steps.
        if (info.nullable) throw new NotProven()
        // Counted repeats are treated as loops: that adds paths, never removes one, so a
        // pattern proven this way is proven for the exact counts too.
        if (node.max > 1) this.link(info.last, info.first)
        return { nullable: node.min === 0, first: info.first, last: info.last }
      }
    }
  }

  /**
   * Adds the steps from each of `from` to each of `to`. A step added twice is one step the
   * engine can take along two routes (in `(a+)+`, the inner and the outer loop): the paths that
   * make a backtracking engine exponential, although the automaton stays deterministic.
   */
  private link(from: readonly number[], to: readonly number[]): void {
    for (const position of from) {
      const next = this.follow[position] as Set<number>
      for (const target of to) {
        if (next.has(target)) throw new NotProven()
        next.add(target)
      }
    }
  }

  /** No two positions a step can go to accept a common character. */
  isDeterministic(start: readonly number[]): boolean {
    return [start, ...this.follow.map((next) => [...next])].every((choices) =>
      choices.every((a, index) =>
        choices
          .slice(index + 1)
          .every((b) => !intersects(this.positions[a] as CharSet, this.positions[b] as CharSet)),
      ),
    )
  }
}

/**
 * True when `source` (a JavaScript regular expression without flags other than `u`) provably
 * runs in time linear in its input on a backtracking engine; false when that is not proven.
 * @example provesLinear('^\\+[1-9][0-9]{4,14}$') // true
 * @example provesLinear('^(a+)+$') // false
 */
export function provesLinear(source: string): boolean {
  if (source.length > MAX_SOURCE_LENGTH) return false
  try {
    const automaton = new Automaton()
    const root = automaton.build(new Parser(source).parsePattern())
    return automaton.isDeterministic(root.first)
  } catch (error) {
    if (error instanceof NotProven) return false
    throw error
  }
}
