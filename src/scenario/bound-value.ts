/**
 * Limits on what a recording copies from the wire. A provider's answer or a client's body can be
 * anything; a scenario file must stay within what the loader reads (docs/file-limits.md: 5 MiB,
 * 64 levels), so a recording cuts what is longer or deeper and says so in a note.
 */
export const MAX_RECORDED_STRING = 16 * 1024
const MAX_RECORDED_DEPTH = 24
const MAX_RECORDED_ENTRIES = 500

/** `value` within the limits above; `cut` hears what was shortened, by JSON-path-like place. */
export function boundValue(value: unknown, cut: (where: string) => void, where = 'body'): unknown {
  const visit = (node: unknown, place: string, depth: number): unknown => {
    if (typeof node === 'string') {
      if (node.length <= MAX_RECORDED_STRING) return node
      cut(`${place} (a string of ${node.length} characters)`)
      return node.slice(0, MAX_RECORDED_STRING)
    }
    if (typeof node !== 'object' || node === null) return node
    if (depth >= MAX_RECORDED_DEPTH) {
      cut(`${place} (nested deeper than ${MAX_RECORDED_DEPTH} levels)`)
      return Array.isArray(node) ? [] : {}
    }
    if (Array.isArray(node)) {
      if (node.length > MAX_RECORDED_ENTRIES) cut(`${place} (${node.length} elements)`)
      return node
        .slice(0, MAX_RECORDED_ENTRIES)
        .map((item, index) => visit(item, `${place}[${index}]`, depth + 1))
    }
    const entries = Object.entries(node)
    if (entries.length > MAX_RECORDED_ENTRIES) cut(`${place} (${entries.length} members)`)
    // fromEntries defines own properties: a member named "__proto__" stays a member.
    return Object.fromEntries(
      entries
        .slice(0, MAX_RECORDED_ENTRIES)
        .map(([key, child]) => [key, visit(child, `${place}.${key.slice(0, 40)}`, depth + 1)]),
    )
  }
  return visit(value, where, 0)
}

/** Every string in a JSON value, with the path of segments that leads to it (bounded walk). */
export function stringsIn(
  value: unknown,
  visit: (text: string, path: readonly (string | number)[]) => void,
): void {
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (typeof node === 'string') visit(node, path)
    else if (path.length >= MAX_RECORDED_DEPTH || typeof node !== 'object' || node === null) return
    else if (Array.isArray(node))
      node.slice(0, MAX_RECORDED_ENTRIES).forEach((item, index) => walk(item, [...path, index]))
    else
      for (const [key, child] of Object.entries(node).slice(0, MAX_RECORDED_ENTRIES))
        walk(child, [...path, key])
  }
  walk(value, [])
}
