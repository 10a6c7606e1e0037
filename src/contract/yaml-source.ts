import { LineCounter, parseDocument } from 'yaml'
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
        message: `not valid YAML or JSON: ${e.message.split('\n')[0] ?? e.message}`,
      })),
    )
  }
  const lineOf = (pointer: string): number | undefined => {
    const segments: (string | number)[] = parsePointer(pointer).map((s) =>
      /^\d+$/.test(s) ? Number(s) : s,
    )
    for (let length = segments.length; length >= 0; length -= 1) {
      const node = document.getIn(segments.slice(0, length), true) as
        | { range?: [number, number, number] }
        | undefined
      const offset = node?.range?.[0]
      if (offset !== undefined) return lineCounter.linePos(offset).line
    }
    return undefined
  }
  return ok({ data: document.toJS({ maxAliasCount: 100 }) as unknown, lineOf })
}
