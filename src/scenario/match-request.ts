import { compilePattern, isDeepStrictEqual, parsePointer, toPointer } from '../contract/index.js'
import type { BodyMatcher, HeaderMatcher, RequestMatcher, ValueMatcher } from './scenario.js'

/** Reports a problem at a JSON pointer of the file being compiled. */
export type Report = (pointer: string, message: string) => void

/** The request data that matchers look at, whatever the face. */
export interface MatchableRequest {
  /** Lower-case header names, as Node hands them over. */
  readonly headers: Readonly<Record<string, unknown>>
  /** The parsed JSON body, or undefined when there is none (or it was not needed). */
  readonly body: unknown
  /** The party the simulator plays; known only to the face that creates a call. */
  readonly remoteAddress: string | undefined
}

type RawMatchers = Readonly<Record<string, Readonly<Record<string, unknown>>>>

function compileValueMatcher(
  raw: Readonly<Record<string, unknown>>,
  pointer: string,
  report: Report,
): ValueMatcher | undefined {
  if ('equalTo' in raw) return { kind: 'equal-to', value: raw.equalTo }
  if (typeof raw.present === 'boolean') return { kind: 'present', present: raw.present }
  const source = String(raw.matches)
  // A scenario's pattern runs on every request's headers or body: in linear time.
  const pattern = compilePattern(source, '')
  if (pattern.ok) return { kind: 'matches', pattern: pattern.value }
  report(
    `${pointer}/matches`,
    `${pattern.error}. Write a JavaScript regular expression without backreferences or lookarounds, e.g. ^tel:\\+1555.*$`,
  )
  return undefined
}

export function compileHeaderMatchers(
  raw: RawMatchers | undefined,
  pointer: string,
  report: Report,
): HeaderMatcher[] {
  const matchers: HeaderMatcher[] = []
  for (const [name, test] of Object.entries(raw ?? {})) {
    const matcher = compileValueMatcher(test, `${pointer}${toPointer([name])}`, report)
    // HTTP header names are case-insensitive (RFC 9110 5.1); Node lower-cases them.
    if (matcher) matchers.push({ name: name.toLowerCase(), matcher })
  }
  return matchers
}

export function compileBodyMatchers(
  raw: RawMatchers | undefined,
  pointer: string,
  report: Report,
): BodyMatcher[] {
  const matchers: BodyMatcher[] = []
  for (const [bodyPointer, test] of Object.entries(raw ?? {})) {
    const matcher = compileValueMatcher(test, `${pointer}${toPointer([bodyPointer])}`, report)
    if (matcher)
      matchers.push({ pointer: bodyPointer, segments: parsePointer(bodyPointer), matcher })
  }
  return matchers
}

export function compileRequestMatcher(
  raw: Readonly<Record<string, unknown>>,
  pointer: string,
  report: Report,
): RequestMatcher {
  const remote = raw.remoteAddress as Readonly<Record<string, unknown>> | undefined
  return {
    remoteAddress:
      remote === undefined
        ? undefined
        : compileValueMatcher(remote, `${pointer}/remoteAddress`, report),
    headers: compileHeaderMatchers(
      raw.headers as RawMatchers | undefined,
      `${pointer}/headers`,
      report,
    ),
    body: compileBodyMatchers(raw.body as RawMatchers | undefined, `${pointer}/body`, report),
  }
}

/** Regular expressions and header comparisons see numbers and booleans as the text they are sent as. */
function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return undefined
}

function testValue(matcher: ValueMatcher, value: unknown): boolean {
  switch (matcher.kind) {
    case 'present':
      return (value !== undefined) === matcher.present
    case 'matches': {
      const text = asText(value)
      return text !== undefined && matcher.pattern.test(text)
    }
    case 'equal-to':
      return isDeepStrictEqual(value, matcher.value)
  }
}

function headerValue(headers: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = headers[name]
  if (Array.isArray(value)) return value.join(', ')
  return typeof value === 'string' ? value : undefined
}

/** Every header test must pass; a header arrives as text, so `equalTo: 5` matches "5". */
export function testHeaders(
  matchers: readonly HeaderMatcher[],
  headers: Readonly<Record<string, unknown>>,
): boolean {
  return matchers.every(({ name, matcher }) => {
    const value = headerValue(headers, name)
    if (matcher.kind === 'equal-to' && value !== undefined) return value === asText(matcher.value)
    return testValue(matcher, value)
  })
}

function valueAt(body: unknown, segments: readonly string[]): unknown {
  let current = body
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null) return undefined
    if (!Object.hasOwn(current, segment)) return undefined
    current = (current as Record<string, unknown>)[segment]
  }
  return current
}

export function testBody(matchers: readonly BodyMatcher[], body: unknown): boolean {
  return matchers.every(({ segments, matcher }) => testValue(matcher, valueAt(body, segments)))
}

export function matchesRequest(matcher: RequestMatcher, request: MatchableRequest): boolean {
  if (matcher.remoteAddress && !testValue(matcher.remoteAddress, request.remoteAddress))
    return false
  return testHeaders(matcher.headers, request.headers) && testBody(matcher.body, request.body)
}
