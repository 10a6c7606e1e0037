import { createRequire } from 'node:module'
import type * as Yaml from 'yaml'
import type { SpecProblem } from './errors.js'
import { err, ok, type Result } from './result.js'
import { CompileCache } from './compile-cache.js'
import { MAX_NESTING_DEPTH, MAX_YAML_ALIAS_COUNT, tooDeeplyNested } from './file-limits.js'

// The YAML parser is loaded on first use: a text found in the build-time cache needs it only
// if a problem has to be reported with its line.
const requireModule = createRequire(import.meta.url)

/**
 * The YAML library, loaded on first use (scripts/bundle.js leaves what createRequire loads out
 * of the bin's bundle): reading a text the cache holds, and serving, need none of it.
 */
export function yamlLibrary(): typeof Yaml {
  return requireModule('yaml') as typeof Yaml
}

/** Parsed YAML (or JSON, which is YAML) that can still tell the line of any JSON pointer. */
export interface YamlSource {
  readonly data: unknown
  /** 1-based line of the value at `pointer`, or of its nearest existing parent. */
  lineOf(pointer: string): number | undefined
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '#') return []
  return pointer
    .replace(/^#/, '')
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
}

export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

/**
 * Parses YAML or JSON text, through the cache: a text parsed before (in this process, or by the
 * build) is not parsed again unless a line it does not know is asked for.
 */
export function parseYamlSource(
  text: string,
  source: string,
  cache: CompileCache = new CompileCache(),
): Result<YamlSource, SpecProblem[]> {
  const cached = cache.document(text)
  if (cached) {
    // This very text was parsed without errors before; a line the cache does not know (for a
    // message) needs the parse after all.
    let parsed: YamlSource | undefined
    const lineOf = (pointer: string): number | undefined => {
      const known = cached.lineOf(pointer)
      if (known !== undefined) return known ?? undefined
      if (!parsed) {
        const result = parseYaml(text, source)
        if (!result.ok) return undefined
        parsed = result.value
      }
      return parsed.lineOf(pointer)
    }
    return ok({ data: cached.data, lineOf })
  }
  const result = parseYaml(text, source)
  if (!result.ok) return result
  const { data, lineOf } = result.value
  return ok({ data, lineOf: cache.keepDocument(text, data, lineOf) })
}

function parseYaml(text: string, source: string): Result<YamlSource, SpecProblem[]> {
  const yaml = yamlLibrary()
  const lineCounter = new yaml.LineCounter()
  const problem = (line: number | undefined, message: string, pointer = '') =>
    err([{ source, pointer, line, message }])
  let document: Yaml.Document.Parsed
  let data: unknown
  try {
    // The yaml library checks unique keys by comparing each key with every earlier one of its
    // mapping: 12 s for 16,000 scenarios. duplicateKeyErrors does it in linear time.
    document = yaml.parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: false })
    if (document.errors.length === 0)
      document.errors.push(...duplicateKeyErrors(yaml, document, lineCounter))
    if (document.errors.length > 0) {
      // A document nested past the parser's stack gives one error per level, all on the same
      // line: the first error of each line says it once.
      const seenLines = new Set<number | undefined>()
      const firstPerLine = document.errors.filter((e) => {
        const line = e.linePos?.[0].line
        if (seenLines.has(line)) return false
        seenLines.add(line)
        return true
      })
      return err(
        firstPerLine.map((e) => ({
          source,
          pointer: '',
          line: e.linePos?.[0].line,
          // prettyErrors ends the first line with a colon that introduces a code excerpt.
          message: `not valid YAML or JSON: ${(e.message.split('\n')[0] ?? e.message).replace(/:$/, '')}`,
        })),
      )
    }
    data = document.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT }) as unknown
  } catch (error) {
    // The yaml library throws, rather than reports, an alias bomb ("Excessive alias count").
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return problem(
        firstAliasLine(yaml, text, lineCounter),
        `YAML aliases (*name) here expand to more data than callsim reads (the yaml library's maxAliasCount of ${MAX_YAML_ALIAS_COUNT}); write the repeated parts out, or use fewer aliases`,
      )
    }
    if (error instanceof RangeError) {
      return problem(
        undefined,
        `nested too deeply to read (${error.message}); callsim reads at most ${MAX_NESTING_DEPTH} levels`,
      )
    }
    throw error
  }
  const lineOf = linesOf(yaml, document, lineCounter)
  const deep = tooDeeplyNested(data)
  if (deep) {
    const pointer = toPointer(deep)
    return problem(
      lineOf(pointer),
      `objects and lists are nested more than ${MAX_NESTING_DEPTH} levels deep here, more than callsim reads; flatten the file`,
      pointer,
    )
  }
  return ok({ data, lineOf })
}

/**
 * The line of any JSON pointer. Each mapping is indexed by key on its first lookup, so that
 * asking for the line of every one of n scenarios in a file takes O(n), not O(n²).
 */
function linesOf(
  yaml: typeof Yaml,
  document: Yaml.Document.Parsed,
  lineCounter: Yaml.LineCounter,
): (pointer: string) => number | undefined {
  const indexes = new WeakMap<object, Map<string, unknown>>()
  const valueOf = (map: Yaml.YAMLMap, segment: string): unknown => {
    let index = indexes.get(map)
    if (!index) {
      index = new Map()
      for (const pair of map.items) {
        const key = String(yaml.isScalar(pair.key) ? pair.key.value : pair.key)
        if (!index.has(key)) index.set(key, pair.value)
      }
      indexes.set(map, index)
    }
    return index.get(segment)
  }
  return (pointer) => {
    // Walk the nodes by hand: a pointer segment such as `200` may name a sequence index, a
    // quoted key '200' or a plain key 200, and only the node's own kind tells which.
    let node: unknown = document.contents
    let offset = rangeStart(node)
    for (const segment of parsePointer(pointer)) {
      if (yaml.isSeq(node)) node = /^\d+$/.test(segment) ? node.items[Number(segment)] : undefined
      else if (yaml.isMap(node)) node = valueOf(node, segment)
      else node = undefined
      const start = rangeStart(node)
      if (start === undefined) break
      offset = start
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line
  }
}

/** A YAMLParseError for every key that repeats an earlier key of its mapping, as yaml words it. */
function duplicateKeyErrors(
  yaml: typeof Yaml,
  document: Yaml.Document.Parsed,
  lineCounter: Yaml.LineCounter,
): Yaml.YAMLParseError[] {
  const errors: Yaml.YAMLParseError[] = []
  yaml.visit(document, {
    Map(_key, map) {
      const seen = new Set<string>()
      for (const pair of map.items) {
        const key = String(yaml.isScalar(pair.key) ? pair.key.value : pair.key)
        if (!seen.has(key)) {
          seen.add(key)
          continue
        }
        const start = rangeStart(pair.key) ?? 0
        const { line, col } = lineCounter.linePos(start)
        const error = new yaml.YAMLParseError(
          [start, start + 1],
          'DUPLICATE_KEY',
          `Map keys must be unique at line ${line}, column ${col}`,
        )
        error.linePos = [{ line, col }]
        errors.push(error)
      }
    },
  })
  return errors
}

function firstAliasLine(
  yaml: typeof Yaml,
  text: string,
  lineCounter: Yaml.LineCounter,
): number | undefined {
  let line: number | undefined
  yaml.visit(yaml.parseDocument(text), {
    Alias(_key, node) {
      const start = rangeStart(node)
      if (start !== undefined) line = lineCounter.linePos(start).line
      return yaml.visit.BREAK
    },
  })
  return line
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range
  return range?.[0]
}
