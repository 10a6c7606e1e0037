import { createRequire } from 'node:module'
import type * as Re2js from 're2js'
import { provesLinear } from './prove-linear.js'
import { err, ok, type Result } from './result.js'

// re2js is loaded on first use: start-up from the build-time cache compiles no pattern.
const requireModule = createRequire(import.meta.url)

/** What every user-supplied pattern compiles to: a test that runs in linear time. */
export interface CompiledPattern {
  test(text: string): boolean
  /**
   * `native`: V8's engine, proven linear for this pattern; `linear`: re2js; `split`: a pattern
   * `^(a|b|…)$` whose alternatives V8 runs where each is proven linear on its own, and re2js
   * runs the others only when none of those matched.
   */
  readonly engine: 'native' | 'linear' | 'split'
  /** `split`: the proven alternatives, each anchored as `^(?:a)$`, for V8's engine. */
  readonly nativeSources: readonly string[]
  /** The pattern (`split`: its other alternatives) in RE2 syntax for re2js; none if all proven. */
  readonly re2Source: string | undefined
}

const compiled = new Map<string, Result<CompiledPattern, string>>()

/**
 * Compiles a regular expression from a spec, a scenario or a run file so that no input can
 * make it backtrack: V8's engine where provesLinear shows it cannot, re2js (RE2's linear-time
 * automaton) everywhere else. A pattern that neither can run safely (a backreference or a
 * lookaround that is not proven linear) is refused with a reason, to be reported at load time.
 * @example compilePattern('^tel:\\+1555', 'u')
 */
export function compilePattern(source: string, flags: '' | 'u'): Result<CompiledPattern, string> {
  const key = `${flags}/${source}`
  let result = compiled.get(key)
  if (!result) {
    result = compile(source, flags)
    compiled.set(key, result)
  }
  return result
}

function compile(source: string, flags: '' | 'u'): Result<CompiledPattern, string> {
  const problem = checkPattern(source, flags)
  if (problem !== undefined) return err(problem)
  if (provesLinear(source)) {
    const native = new RegExp(source, flags)
    return ok({
      test: (text) => native.test(text),
      engine: 'native',
      nativeSources: [],
      re2Source: undefined,
    })
  }
  try {
    return ok(splitByAlternative(source, flags) ?? linearOnly(source))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return err(
      `"${source}" cannot be run by callsim's linear-time regular expression engine (${reason}); rewrite it in the common subset of JavaScript and RE2 syntax`,
    )
  }
}

function linearOnly(source: string): CompiledPattern {
  const re2Source = toRe2Syntax(source)
  const { RE2JS } = requireModule('re2js') as typeof Re2js
  const linear = RE2JS.compile(re2Source)
  return { test: (text) => linear.test(text), engine: 'linear', nativeSources: [], re2Source }
}

/**
 * `^(a|b|c)$` matches a text exactly when one of `^(?:a)$`, `^(?:b)$`, `^(?:c)$` does, so each
 * alternative that provesLinear accepts on its own may run on V8's engine, and only the others
 * need re2js (which is 3–10 times slower). The CAMARA `Address` pattern is such a pattern: its
 * E.164 alternative, which nearly every request meets, is proven; its SIP domain alternatives
 * are not. Undefined when the pattern is not of that form or no alternative is proven.
 */
function splitByAlternative(source: string, flags: '' | 'u'): CompiledPattern | undefined {
  const alternatives = topLevelAlternatives(source)
  if (alternatives === undefined) return undefined
  const anchored = alternatives.map((alternative) => `^(?:${alternative})$`)
  const proven = anchored.map((candidate) => provesLinear(candidate))
  const nativeSources = anchored.filter((_, index) => proven[index])
  if (nativeSources.length === 0) return undefined
  const rest = alternatives.filter((_, index) => !proven[index])
  const natives = nativeSources.map((candidate) => new RegExp(candidate, flags))
  const linear = rest.length === 0 ? undefined : linearOnly(`^(?:${rest.join('|')})$`)
  return {
    test: (text) => {
      for (const native of natives) if (native.test(text)) return true
      return linear !== undefined && linear.test(text)
    },
    engine: 'split',
    nativeSources,
    re2Source: linear?.re2Source,
  }
}

/**
 * The alternatives of a pattern that is one group between `^` and `$` (`^(a|b)$`,
 * `^(?:a|b)$`), split at the group's own `|`; undefined for any other shape.
 */
function topLevelAlternatives(source: string): string[] | undefined {
  const opening = source.startsWith('^(?:') ? 4 : source.startsWith('^(') ? 2 : 0
  if (opening === 0 || (opening === 2 && source[2] === '?')) return undefined
  const alternatives: string[] = []
  let depth = 0
  let inClass = false
  let start = opening
  for (let index = opening; index < source.length; index += 1) {
    const char = source[index]
    if (char === '\\') index += 1
    else if (inClass) inClass = char !== ']'
    else if (char === '[') inClass = true
    else if (char === '(') depth += 1
    else if (char === ')' && depth > 0) depth -= 1
    else if (char === '|' && depth === 0) {
      alternatives.push(source.slice(start, index))
      start = index + 1
    } else if (char === ')') {
      // The outer group closes: it must be followed by the final `$` and nothing else.
      if (index !== source.length - 2 || source[index + 1] !== '$') return undefined
      alternatives.push(source.slice(start, index))
      return alternatives.length > 1 ? alternatives : undefined
    }
  }
  return undefined
}

/**
 * What is wrong with a pattern, without compiling it for the linear engine (which would load
 * re2js at every start): not a regular expression at all, or a construct no linear-time
 * engine runs. compilePattern may still refuse a rare construct RE2 spells differently.
 */
export function checkPattern(source: string, flags: '' | 'u'): string | undefined {
  try {
    new RegExp(source, flags)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return `"${source}" is not a valid regular expression (${reason.replace(/^Invalid regular expression: /, '')})`
  }
  if (provesLinear(source)) return undefined
  const unsupported = unsupportedFeature(source)
  return unsupported === undefined
    ? undefined
    : `"${source}" uses ${unsupported}, which callsim's linear-time regular expression engine cannot run (a backtracking engine could be made to take seconds per request); rewrite the pattern without it`
}

/**
 * The constructs RE2 leaves out because no automaton can run them in linear time. re2js would
 * read some of them as something else (`\k<name>` as a literal `k`), so they are caught here.
 */
function unsupportedFeature(source: string): string | undefined {
  const syntax = withoutEscapedBackslashes(source)
  if (/\\[1-9]|\\k</.test(syntax)) return 'a backreference'
  if (/\(\?<?[=!]/.test(syntax)) return 'a lookaround'
  return undefined
}

function withoutEscapedBackslashes(source: string): string {
  return source.replace(/\\\\/g, '')
}

// JavaScript's `\s` and `.` differ from RE2's (Unicode spaces, and \r and the line and
// paragraph separators); these classes give RE2 JavaScript's meaning.
const JS_SPACES =
  '\\t\\n\\x0B\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}'
const JS_DOT = '[^\\n\\r\\x{2028}\\x{2029}]'

/** A JavaScript pattern in RE2 syntax, with JavaScript's meaning of `\s`, `\S` and `.`. */
function toRe2Syntax(source: string): string {
  const { RE2JS } = requireModule('re2js') as typeof Re2js
  const translated = RE2JS.translateRegExp(source)
  let out = ''
  let inClass = false
  for (let index = 0; index < translated.length; index += 1) {
    const char = translated[index] as string
    if (char === '\\') {
      const escaped = translated[index + 1] ?? ''
      index += 1
      if (escaped === 's') out += inClass ? JS_SPACES : `[${JS_SPACES}]`
      else if (escaped === 'S' && !inClass) out += `[^${JS_SPACES}]`
      else out += `\\${escaped}`
    } else if (inClass) {
      if (char === ']') inClass = false
      out += char
    } else if (char === '[') {
      inClass = true
      out += char
    } else out += char === '.' ? JS_DOT : char
  }
  return out
}
