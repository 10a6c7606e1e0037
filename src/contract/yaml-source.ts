import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { SpecProblem } from './errors.js'
import { err, ok, type Result } from './result.js'

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

export function parseYamlSource(text: string, source: string): Result<YamlSource, SpecProblem[]> {
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
      else if (isMap(node)) node = node.items.find((pair) => String(isScalar(pair.key) ? pair.key.value : pair.key) === segment)?.value
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
