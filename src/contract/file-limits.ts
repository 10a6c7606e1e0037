// Limits on every file callsim reads: specs, scenario files, call templates and run files.
// A file is written by someone else as often as by the user (a shared sandbox, a recording, a
// downloaded spec), so each limit keeps one file from exhausting the heap, the stack or the
// CPU. docs/file-limits.md lists them; the messages name the limit and what to do.

/** Largest file read, in bytes, unless `--max-file-size` says otherwise. */
export const DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024

/** Deepest nesting of objects and lists; the deepest built-in spec nests 14 levels. */
export const MAX_NESTING_DEPTH = 64

/**
 * The yaml library's maxAliasCount: how much YAML aliases (`*name`) may expand, which stops
 * the "billion laughs" alias bomb.
 */
export const MAX_YAML_ALIAS_COUNT = 100

/** Most scenarios under `scenarios:` in one file. */
export const MAX_SCENARIOS_PER_FILE = 1000

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(2))} MiB`
  return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KiB` : `${bytes} bytes`
}

/** What to say about a file of `bytes` bytes, or undefined when it is within `maxBytes`. */
export function fileSizeProblem(bytes: number, maxBytes: number): string | undefined {
  if (bytes <= maxBytes) return undefined
  return `the file is ${size(bytes)}, more than the ${size(maxBytes)} callsim reads; split it, or raise the limit with --max-file-size <MiB>`
}

interface Visit {
  readonly value: unknown
  readonly depth: number
  readonly key: string
  readonly parent: Visit | undefined
}

/**
 * The path of the first object or list nested deeper than MAX_NESTING_DEPTH, if any.
 * Iterative: the point is not to overflow the stack on the documents it refuses.
 */
export function tooDeeplyNested(data: unknown): string[] | undefined {
  const pending: Visit[] = [{ value: data, depth: 1, key: '', parent: undefined }]
  for (let visit = pending.pop(); visit !== undefined; visit = pending.pop()) {
    if (typeof visit.value !== 'object' || visit.value === null) continue
    if (visit.depth > MAX_NESTING_DEPTH) {
      const path: string[] = []
      for (let at: Visit | undefined = visit; at?.parent; at = at.parent) path.unshift(at.key)
      return path
    }
    for (const [key, value] of Object.entries(visit.value))
      pending.push({ value, depth: visit.depth + 1, key, parent: visit })
  }
  return undefined
}
