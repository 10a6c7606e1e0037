import { err, ok, type Result } from '../contract/index.js'

/**
 * The `${...}` expressions of client steps.
 *
 * An expression is a root name followed by a path: `${create.body.mediaSessionId}`,
 * `${create.headers.x-correlator}`, `${read.body.answer.sdp}`, `${list.body[0].id}`,
 * `${create.body["odd.key"]}`. Roots are the names of earlier steps (whose record holds
 * `status`, `headers` and `body`), `env` (the runner's environment variables), `sink` (the
 * runner's callback sink: `${sink.url}`), `scenario` (`${scenario.id}`) and `uuid` (`${uuid.device}`
 * is a fresh UUID per scenario run, the same wherever that scenario uses the same name).
 *
 * A string that is exactly one expression takes the value's own type (a number stays a number,
 * an object an object); an expression inside a longer string is written into it as text. `$${`
 * writes a literal `${`.
 */
export type PathSegment = string | number

/** Names a step cannot take because expressions use them as roots. */
export const RESERVED_ROOTS: ReadonlySet<string> = new Set(['env', 'sink', 'scenario', 'uuid'])

const SEGMENT = /^[A-Za-z0-9_$-]+/

/** Reads `a.b[0]["c.d"]` into segments; the first one is the root. */
export function parsePath(text: string): Result<PathSegment[], string> {
  const segments: PathSegment[] = []
  let rest = text.trim()
  let first = true
  while (rest.length > 0) {
    if (rest.startsWith('[')) {
      const index = /^\[(\d+)\]/.exec(rest)
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest)
      if (index) {
        segments.push(Number(index[1]))
        rest = rest.slice(index[0].length)
      } else if (quoted) {
        segments.push(JSON.parse(quoted[1] as string) as string)
        rest = rest.slice(quoted[0].length)
      } else {
        return err(`"${text}" has a bracket that is neither [number] nor ["key"]`)
      }
    } else {
      if (!first) {
        if (!rest.startsWith('.'))
          return err(`"${text}" is not a path: expected "." or "[" before "${rest}"`)
        rest = rest.slice(1)
      }
      const name = SEGMENT.exec(rest)
      if (!name)
        return err(
          `"${text}" is not a path: a name may hold letters, digits, "_", "-" and "$"; quote others as ["key"]`,
        )
      segments.push(name[0])
      rest = rest.slice(name[0].length)
    }
    first = false
  }
  if (segments.length === 0)
    return err(`an empty expression names nothing; write \${step.body.field}`)
  return ok(segments)
}

/** Writes segments back as the user would: `body.items[0]["a.b"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = ''
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

export interface PathLookup {
  readonly found: boolean
  readonly value: unknown
  /** The longest prefix that exists, for messages about what is missing. */
  readonly deepest: readonly PathSegment[]
}

/** Follows segments into a JSON value; a missing key or index reports how far it got. */
export function readPath(value: unknown, segments: readonly PathSegment[]): PathLookup {
  let current = value
  for (let position = 0; position < segments.length; position += 1) {
    const segment = segments[position] as PathSegment
    let next: unknown
    let has = false
    if (Array.isArray(current) && typeof segment === 'number') {
      has = segment < current.length
      next = current[segment]
    } else if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
      const key = String(segment)
      has = Object.prototype.hasOwnProperty.call(current, key)
      next = (current as Record<string, unknown>)[key]
    }
    if (!has) return { found: false, value: undefined, deepest: segments.slice(0, position) }
    current = next
  }
  return { found: true, value: current, deepest: segments }
}

/** HTTP header names are case-insensitive; records keep them lower-case, so paths do too. */
export function lowerHeaderName(segments: readonly PathSegment[]): PathSegment[] {
  const [first, second, ...rest] = segments
  if (first === 'headers' && typeof second === 'string')
    return [first, second.toLowerCase(), ...rest]
  return [...segments]
}

/**
 * The `uuid` root: any name reads a UUID made on first use and kept for the scenario run, so a
 * file can register a fresh device (`${uuid.device}`) every time it runs against the same target.
 */
export function createUuidBag(generate: () => string): Record<string, string> {
  const values: Record<string, string> = {}
  const ensure = (key: string | symbol): void => {
    if (typeof key === 'string' && !Object.prototype.hasOwnProperty.call(values, key))
      values[key] = generate()
  }
  return new Proxy(values, {
    getOwnPropertyDescriptor(target, key) {
      ensure(key)
      return Reflect.getOwnPropertyDescriptor(target, key)
    },
    get(target, key) {
      ensure(key)
      return Reflect.get(target, key) as unknown
    },
  })
}

/** Everything an expression can read while a step runs, by root name. */
export type ExpressionScope = ReadonlyMap<string, unknown>

/** Evaluates one expression (without the `${}`) against the scope. */
export function evaluate(expression: string, scope: ExpressionScope): Result<unknown, string> {
  const parsed = parsePath(expression)
  if (!parsed.ok) return parsed
  const [root, ...rest] = parsed.value
  if (typeof root !== 'string' || !scope.has(root)) {
    const named = [...scope.keys()].filter((name) => !RESERVED_ROOTS.has(name))
    const known =
      named.length === 0 ? 'no step has a name yet' : `named so far: ${named.join(', ')}`
    return err(
      `\${${expression}}: no earlier step is named ${String(root)} (${known}; env, sink, scenario and uuid are built in)`,
    )
  }
  const lookup = readPath(scope.get(root), lowerHeaderName(rest))
  if (!lookup.found) {
    const where = formatPath([root, ...lookup.deepest])
    const missing = rest[lookup.deepest.length] as PathSegment
    const what =
      typeof missing === 'number'
        ? `no element [${missing}]`
        : `no field ${JSON.stringify(missing)}`
    return err(`\${${expression}}: ${where} has ${what}`)
  }
  return ok(lookup.value)
}

interface TemplatePart {
  readonly text?: string
  readonly expression?: string
}

/** Splits a string into literal text and `${...}` expressions; `$${` is a literal `${`. */
function splitTemplate(template: string): Result<TemplatePart[], string> {
  const parts: TemplatePart[] = []
  let text = ''
  let position = 0
  while (position < template.length) {
    if (template.startsWith('$${', position)) {
      text += '${'
      position += 3
      continue
    }
    if (template.startsWith('${', position)) {
      const end = template.indexOf('}', position + 2)
      if (end === -1)
        return err(`"${template}" opens an expression with \${ but never closes it with }`)
      if (text !== '') parts.push({ text })
      text = ''
      parts.push({ expression: template.slice(position + 2, end) })
      position = end + 1
      continue
    }
    text += template[position]
    position += 1
  }
  if (text !== '') parts.push({ text })
  return ok(parts)
}

function toText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  return JSON.stringify(value)
}

/**
 * Replaces every expression in a JSON value (strings inside objects and arrays included).
 * Reports every expression that cannot be resolved, not only the first.
 */
export function resolveTemplate(value: unknown, scope: ExpressionScope): Result<unknown, string[]> {
  const problems: string[] = []
  const visit = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const parts = splitTemplate(node)
      if (!parts.ok) {
        problems.push(parts.error)
        return node
      }
      const [only] = parts.value
      if (parts.value.length === 1 && only?.expression !== undefined) {
        const result = evaluate(only.expression, scope)
        if (!result.ok) problems.push(result.error)
        return result.ok ? result.value : node
      }
      let out = ''
      for (const part of parts.value) {
        if (part.expression === undefined) {
          out += part.text ?? ''
          continue
        }
        const result = evaluate(part.expression, scope)
        if (!result.ok) problems.push(result.error)
        else out += toText(result.value)
      }
      return out
    }
    if (Array.isArray(node)) return node.map(visit)
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, visit(child)]))
    }
    return node
  }
  const resolved = visit(value)
  return problems.length > 0 ? err(problems) : ok(resolved)
}

/** The roots every expression in a value refers to, for checks before a run. */
export function findExpressionRoots(value: unknown): Result<string[], string[]> {
  const roots: string[] = []
  const problems: string[] = []
  const visit = (node: unknown): void => {
    if (typeof node === 'string') {
      const parts = splitTemplate(node)
      if (!parts.ok) {
        problems.push(parts.error)
        return
      }
      for (const part of parts.value) {
        if (part.expression === undefined) continue
        const path = parsePath(part.expression)
        if (!path.ok) problems.push(path.error)
        else roots.push(String(path.value[0]))
      }
    } else if (Array.isArray(node)) {
      node.forEach(visit)
    } else if (typeof node === 'object' && node !== null) {
      Object.values(node).forEach(visit)
    }
  }
  visit(value)
  return problems.length > 0 ? err(problems) : ok(roots)
}
