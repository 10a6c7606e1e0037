import { createRequire } from 'node:module'
import type * as Yaml from 'yaml'
import type { SpecProblem } from './errors.js'
import { err, ok, type Result } from './result.js'
import { CompileCache } from './compile-cache.js'

// The YAML parser is loaded on first use: a text found in the build-time cache needs it only
// if a problem has to be reported with its line.
const requireModule = createRequire(import.meta.url)

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
  const { LineCounter, isMap, isScalar, isSeq, parseDocument } = requireModule(
    'yaml',
  ) as typeof Yaml
  const lineCounter = new LineCounter()
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  if (document.errors.length > 0) {
    return err(
      document.errors.map((e) => ({
        source,
        pointer: '',
        line: e.linePos?.[0].line,
        // prettyErrors ends the first line with a colon that introduces a code excerpt.
        message: `not valid YAML or JSON: ${(e.message.split('\n')[0] ?? e.message).replace(/:$/, '')}`,
      })),
    )
  }
  const lineOf = (pointer: string): number | undefined => {
    // Walk the nodes by hand: a pointer segment such as `200` may name a sequence index, a
    // quoted key '200' or a plain key 200, and only the node's own kind tells which.
    let node: unknown = document.contents
    let offset = rangeStart(node)
    for (const segment of parsePointer(pointer)) {
      if (isSeq(node)) node = /^\d+$/.test(segment) ? node.items[Number(segment)] : undefined
      else if (isMap(node))
        node = node.items.find(
          (pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === segment,
        )?.value
      else node = undefined
      const start = rangeStart(node)
      if (start === undefined) break
      offset = start
    }
    return offset === undefined ? undefined : lineCounter.linePos(offset).line
  }
  return ok({ data: document.toJS({ maxAliasCount: 100 }) as unknown, lineOf })
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range
  return range?.[0]
}
