/** Small readers and writers of JSON values that the recorder's parts share. */

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function member(value: unknown, name: string): unknown {
  return isObject(value) && Object.hasOwn(value, name) ? value[name] : undefined
}

export function stringMember(value: unknown, name: string): string | undefined {
  const found = member(value, name)
  return typeof found === 'string' ? found : undefined
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

/** A note's text as one safe line: no control characters, bounded. */
export function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

export function formatMs(ms: number): string {
  return Number.isInteger(ms) ? `${ms}ms` : `${Number(ms.toFixed(1))}ms`
}

/** A `${...}` expression reading `path` of a named step's answer body. */
export function expressionFor(step: string, path: readonly (string | number)[]): string {
  let out = `${step}.body`
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return `\${${out}}`
}

/** Text the runner must send as it is: `$${` is its escape for a literal `${`. */
export function literal(text: string): string {
  // A function, not a replacement string: in one, `$$` would itself mean a single `$`.
  return text.replaceAll('${', () => '$${')
}

/** A JSON value with its string values (not its keys) passed through `map`. */
export function mapValues(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (Array.isArray(value)) return value.map((item) => mapValues(item, map))
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, mapValues(child, map)]),
    )
  return value
}
