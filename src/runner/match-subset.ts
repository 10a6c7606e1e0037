import { compilePattern } from '../contract/index.js'
import {
  formatPath,
  lowerHeaderName,
  parsePath,
  readPath,
  type PathSegment,
} from './expressions.js'
import { shortenMiddle } from './shorten-middle.js'

/** Shows a value in a message: JSON, cut in the middle so one line stays readable. */
export function show(value: unknown, maxLength = 120): string {
  if (value === undefined) return 'nothing'
  return shortenMiddle(JSON.stringify(value) ?? String(value), maxLength)
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** Deep equality of JSON values (key order does not matter). */
export function isDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, i) => isDeepEqual(item, b[i]))
  if (
    typeof a === 'object' &&
    typeof b === 'object' &&
    a !== null &&
    b !== null &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const keysA = Object.keys(a)
    const keysB = Object.keys(b)
    return (
      keysA.length === keysB.length &&
      keysA.every(
        (key) =>
          Object.prototype.hasOwnProperty.call(b, key) &&
          isDeepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
      )
    )
  }
  return false
}

/**
 * Checks that `actual` contains `expected`: objects key by key (extra keys in `actual` are
 * fine), arrays element by element with the same length, everything else equal. Returns one
 * message per mismatch, each naming its path, e.g. `body.status: expected "Connected", got "Ringing"`.
 */
export function matchSubset(
  expected: unknown,
  actual: unknown,
  at: readonly PathSegment[] = [],
): string[] {
  const where = at.length === 0 ? 'value' : formatPath(at)
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual))
      return [
        `${where}: expected an array, got ${actual === undefined ? 'nothing' : `${kindOf(actual)} ${show(actual)}`}`,
      ]
    if (actual.length !== expected.length)
      return [
        `${where}: expected ${expected.length} element(s), got ${actual.length}: ${show(actual)}`,
      ]
    return expected.flatMap((item, index) => matchSubset(item, actual[index], [...at, index]))
  }
  if (typeof expected === 'object' && expected !== null) {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      return [
        `${where}: expected an object, got ${actual === undefined ? 'nothing' : `${kindOf(actual)} ${show(actual)}`}`,
      ]
    }
    return Object.entries(expected).flatMap(([key, value]) => {
      if (!Object.prototype.hasOwnProperty.call(actual, key))
        return [`${formatPath([...at, key])}: expected ${show(value)}, but the field is missing`]
      return matchSubset(value, (actual as Record<string, unknown>)[key], [...at, key])
    })
  }
  if (expected === actual) return []
  return [`${where}: expected ${show(expected)}, got ${show(actual)}`]
}

/** A check on one value: a plain value must be equal; an object applies its one rule. */
export type Matcher =
  | string
  | number
  | boolean
  | null
  | { readonly equalTo: unknown }
  | { readonly notEqualTo: unknown }
  | { readonly present: boolean }
  | { readonly matches: string }
  | { readonly oneOf: readonly unknown[] }
  | { readonly length: number }
  | { readonly type: JsonType }

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null'

function typeOf(value: unknown): JsonType | 'undefined' {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'object')
    return typeof value as JsonType
  return 'undefined'
}

/** Applies a matcher to the value a path found (`found` false: the path leads nowhere). */
export function checkMatcher(
  name: string,
  matcher: Matcher,
  found: boolean,
  value: unknown,
): string | undefined {
  if (typeof matcher !== 'object' || matcher === null) {
    if (!found) return `${name}: expected ${show(matcher)}, but there is nothing there`
    return value === matcher ? undefined : `${name}: expected ${show(matcher)}, got ${show(value)}`
  }
  if ('present' in matcher) {
    if (matcher.present === found) return undefined
    return matcher.present
      ? `${name}: expected to exist, but there is nothing there`
      : `${name}: expected to be absent, got ${show(value)}`
  }
  if (!found) return `${name}: expected a value, but there is nothing there`
  if ('notEqualTo' in matcher)
    return isDeepEqual(matcher.notEqualTo, value)
      ? `${name}: expected anything but ${show(value)}`
      : undefined
  if ('equalTo' in matcher)
    return isDeepEqual(matcher.equalTo, value)
      ? undefined
      : `${name}: expected ${show(matcher.equalTo)}, got ${show(value)}`
  if ('matches' in matcher) {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    const pattern = compilePattern(matcher.matches, '')
    if (!pattern.ok) return `${name}: ${pattern.error}`
    return pattern.value.test(text)
      ? undefined
      : `${name}: expected to match /${matcher.matches}/, got ${show(value)}`
  }
  if ('oneOf' in matcher) {
    return matcher.oneOf.some((option) => isDeepEqual(option, value))
      ? undefined
      : `${name}: expected one of ${show(matcher.oneOf)}, got ${show(value)}`
  }
  if ('length' in matcher) {
    const length = typeof value === 'string' || Array.isArray(value) ? value.length : undefined
    if (length === undefined)
      return `${name}: expected a string or array of length ${matcher.length}, got ${kindOf(value)}`
    return length === matcher.length
      ? undefined
      : `${name}: expected length ${matcher.length}, got ${length}`
  }
  const actualType = typeOf(value)
  const fits =
    actualType === matcher.type || (matcher.type === 'number' && actualType === 'integer')
  return fits ? undefined : `${name}: expected type ${matcher.type}, got ${actualType}`
}

/** Runs JSON-path checks (`body.answer.sdp`, `headers.x-correlator`) against a record. */
export function checkPaths(record: unknown, paths: Readonly<Record<string, Matcher>>): string[] {
  const problems: string[] = []
  for (const [path, matcher] of Object.entries(paths)) {
    const parsed = parsePath(path)
    if (!parsed.ok) {
      problems.push(parsed.error)
      continue
    }
    const lookup = readPath(record, lowerHeaderName(parsed.value))
    const problem = checkMatcher(path, matcher, lookup.found, lookup.value)
    if (problem !== undefined) problems.push(problem)
  }
  return problems
}
