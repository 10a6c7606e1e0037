import fc from 'fast-check'
import { expect, test } from 'vitest'
import { compilePattern, provesLinear } from '../../../src/contract/index.js'

/** Milliseconds one call takes. */
function timed(run: () => unknown): number {
  const started = performance.now()
  run()
  return performance.now() - started
}

// The patterns of the built-in specs that every request meets: the x-correlator header and
// the E.164 numbers. A proof lets them keep V8's engine, which the bench needs.
test.each([
  '^[a-zA-Z0-9-_:;.\\/<>{}]{0,256}$',
  '^\\+[1-9][0-9]{4,14}$',
  '^\\+?[1-9][0-9]{4,14}$',
  '^(tel|sip):',
  '^https:\\/\\/.+$',
  '^[a-z0-9][a-z0-9-]{0,63}$',
  '^application\\/[\\w.-]+\\+json$',
  '^(ab*)*$',
])('proves %s linear, so it keeps the native engine', (source) => {
  expect(provesLinear(source)).toBe(true)
  const compiled = compilePattern(source, 'u')
  expect(compiled.ok && compiled.value.engine).toBe('native')
})

test.each([
  ['^(a+)+$', 'an inner and an outer loop over the same character'],
  ['^(a|a)*$', 'two alternatives that accept the same character'],
  ['^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$', 'two adjacent runs of spaces (the advance pattern)'],
  ['^(a*)*$', 'a repeated part that matches the empty string'],
  ['^(a?|b?)c$', 'two empty alternatives'],
  ['a*b', 'no leading ^: tried again from every start'],
  ['^(a+b?)+$', 'an outer loop that repeats the inner one'],
])('does not prove %s linear (%s): it runs on the linear engine', (source) => {
  expect(provesLinear(source)).toBe(false)
  const compiled = compilePattern(source, 'u')
  expect(compiled.ok && compiled.value.engine).toBe('linear')
})

// `^(a|b)$` matches when one alternative does on its own: the proven alternatives keep V8's
// engine, and re2js runs the rest only when none of them matched.
test.each([
  [
    'the CAMARA Address pattern, whose E.164 alternative every createSession meets',
    '^(tel:\\+[1-9][0-9]{4,14}|tel:[0-9*#]{1,15};phone-context=(?:\\+[1-9][0-9]{0,14}|[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9\\-]*[A-Za-z0-9])?)+)|sip:[A-Za-z0-9_.!%+\\-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}|sip:anonymous@anonymous\\.invalid)$',
    ['^(?:tel:\\+[1-9][0-9]{4,14})$', '^(?:sip:anonymous@anonymous\\.invalid)$'],
    true,
  ],
  [
    "the SBC's endedReason, whose alternatives share a prefix",
    '^(BYE|CANCEL|BLOCKED|BLACKLISTED|FRAUD|[456][0-9]{2})$',
    [
      '^(?:BYE)$',
      '^(?:CANCEL)$',
      '^(?:BLOCKED)$',
      '^(?:BLACKLISTED)$',
      '^(?:FRAUD)$',
      '^(?:[456][0-9]{2})$',
    ],
    false,
  ],
])(
  '%s: proven alternatives run on V8, the others on re2js',
  (_, source, nativeSources, needsRe2) => {
    const compiled = compilePattern(source, 'u')
    if (!compiled.ok) throw new Error(compiled.error)
    expect(compiled.value.engine).toBe('split')
    expect(compiled.value.nativeSources).toEqual(nativeSources)
    expect(compiled.value.re2Source !== undefined).toBe(needsRe2)
  },
)

test('splits only a group between ^ and $: not one that is repeated or followed by more', () => {
  for (const source of ['^(a|a)*$', '^(a+|b)+c$', '^(a|b)c|d$', '^(?<x>a+|b)$']) {
    const compiled = compilePattern(source, 'u')
    expect(compiled.ok && compiled.value.engine).not.toBe('split')
  }
})

test('runs an unproven alternative of a split pattern in linear time', () => {
  const compiled = compilePattern('^(tel:\\+[0-9]{5,15}|(a+)+)$', 'u')
  if (!compiled.ok) throw new Error(compiled.error)
  expect(compiled.value.engine).toBe('split')
  expect(timed(() => compiled.value.test(`${'a'.repeat(100_000)}!`))).toBeLessThan(500)
  expect(compiled.value.test('tel:+4581808888')).toBe(true)
  expect(compiled.value.test('aaa')).toBe(true)
})

test('runs ^(a+)+$ on a hostile string in linear time', () => {
  const compiled = compilePattern('^(a+)+$', '')
  if (!compiled.ok) throw new Error(compiled.error)
  // 30 characters take V8's engine seconds; 100,000 take the linear engine milliseconds.
  expect(timed(() => compiled.value.test(`${'a'.repeat(100_000)}!`))).toBeLessThan(500)
  expect(compiled.value.test('aaaa')).toBe(true)
})

test('runs the advance pattern on 120,000 spaces in linear time', () => {
  const compiled = compilePattern('^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$', 'u')
  if (!compiled.ok) throw new Error(compiled.error)
  expect(timed(() => compiled.value.test(`1${' '.repeat(120_000)}x`))).toBeLessThan(500)
  expect(compiled.value.test(' 1.5 s ')).toBe(true)
})

test('refuses backreferences and lookarounds, which no linear engine runs', () => {
  for (const [source, feature] of [
    ['^(a)\\1$', 'a backreference'],
    ['^(?<x>a)\\k<x>$', 'a backreference'],
    ['^(?=a)\\w+$', 'a lookaround'],
    ['^(?<!a)b$', 'a lookaround'],
  ] as const) {
    const compiled = compilePattern(source, 'u')
    expect(compiled.ok ? 'accepted' : compiled.error).toContain(`uses ${feature}`)
  }
})

test('refuses what is not a regular expression at all', () => {
  const compiled = compilePattern('^(unclosed$', 'u')
  expect(compiled.ok ? 'accepted' : compiled.error).toMatch(
    /^"\^\(unclosed\$" is not a valid regular expression/,
  )
})

// The linear engine must answer as V8 would: a pattern means what JavaScript says it means.
const DIFFERENTIAL_PATTERNS = [
  '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$',
  '^(a|ab)(c|bcd)?$',
  '^x.y$',
  '^[^\\s]+\\S*$',
  '(\\w+)@(\\w+)\\.com',
  '^(tel:\\+[0-9]{5,15}|sip:[A-Za-z0-9_.!%+\\-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,})$',
  // Split by alternative: nested groups, and a class holding `|` and `)`.
  '^(a|(b|c)d|[|)]x|s+\\s*m|)$',
  '^(?:ab|a\\.|x.y|(a|b)+c)$',
]
const ALPHABET = [
  'a',
  'b',
  'c',
  'd',
  '1',
  '.',
  ' ',
  '\u00a0',
  '\r',
  '\n',
  '\u2028',
  'x',
  'y',
  's',
  'm',
  '@',
  '+',
  'tel:',
  'sip:',
  '.com',
  '\u{1f600}',
]

test('answers as V8 does on every string (differential, seeded)', () => {
  for (const source of DIFFERENTIAL_PATTERNS) {
    const compiled = compilePattern(source, 'u')
    if (!compiled.ok) throw new Error(compiled.error)
    const native = new RegExp(source, 'u')
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...ALPHABET), { maxLength: 12 }).map((parts) => parts.join('')),
        (text) => compiled.value.test(text) === native.test(text),
      ),
      { seed: 16, numRuns: 300 },
    )
  }
})
