// The relay's table of sinks: which request fields name a callback URL, the relay URL put in
// place of each app sink, and the way back from a relay URL to the app's own sink.
import { randomUUID } from 'node:crypto'
import type { Face } from '../apis/index.js'
import {
  compileCallbacks,
  isObject,
  parsePointer,
  type CompileCache,
  type CompiledCallback,
  type Violation,
} from '../contract/index.js'

/** Sinks remembered at most; the oldest is forgotten first. A relay must not grow with traffic. */
const MAX_RELAYED_SINKS = 10_000

/** Where in a request body an operation names a callback URL, and the callback sent there. */
interface SinkField {
  readonly pointer: readonly string[]
  readonly callback: CompiledCallback
  readonly face: Face
}

/** An app sink the relay stands in for, and the events on their way to it. */
export interface RelayedSink {
  readonly sink: string
  readonly field: SinkField
  /** Deliveries to this sink run one after another, so events keep their order. */
  tail: Promise<void>
  queued: number
}

export interface RelayedSinks {
  /** See CallbackRelay.rewriteRequest. */
  rewriteRequest(operationId: string, body: unknown): unknown
  /** See CallbackRelay.restoreSinks. */
  restoreSinks(body: Buffer): Buffer | undefined
  /** See CallbackRelay.isOwnRewrite. */
  isOwnRewrite(violation: Violation, body: unknown): boolean
  /** The sink behind the id at the end of a relay URL. */
  find(id: string): RelayedSink | undefined
}

/**
 * The sink table of a relay whose URLs start with `base` (`<public URL>/_callsim-relay/`), for
 * the callbacks the faces' operations declare.
 */
export function createRelayedSinks(
  base: string,
  faces: readonly Face[],
  compileCache: CompileCache,
): RelayedSinks {
  const fields = new Map<string, SinkField[]>()
  for (const face of faces) {
    const compiled = compileCallbacks(face.spec.spec, compileCache)
    if (!compiled.ok) continue
    for (const callback of compiled.value.values()) {
      const pointer = bodyPointer(callback.expression)
      if (!pointer || pointer.length === 0) continue
      const list = fields.get(callback.parentOperationId) ?? []
      list.push({ pointer, callback, face })
      fields.set(callback.parentOperationId, list)
    }
  }
  const sinks = new Map<string, RelayedSink>()
  const relayUrls = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([0-9a-f-]{36})`, 'g')

  const remember = (sink: string, field: SinkField): string => {
    const id = randomUUID()
    sinks.set(id, { sink, field, tail: Promise.resolve(), queued: 0 })
    if (sinks.size > MAX_RELAYED_SINKS) sinks.delete(sinks.keys().next().value as string)
    return `${base}${id}`
  }

  return {
    rewriteRequest(operationId, body) {
      const candidates = fields.get(operationId)
      if (!candidates || !isObject(body)) return undefined
      let rewritten: Record<string, unknown> | undefined
      for (const field of candidates) {
        const sink = readAt(body, field.pointer)
        if (typeof sink !== 'string' || sink.startsWith(base)) continue
        rewritten ??= structuredClone(body)
        const parent = readAt(rewritten, field.pointer.slice(0, -1))
        if (isObject(parent))
          parent[field.pointer[field.pointer.length - 1] as string] = remember(sink, field)
      }
      return rewritten
    },
    restoreSinks(body) {
      const text = body.toString('utf8')
      if (!text.includes(base)) return undefined
      const restored = text.replace(relayUrls, (url, id: string) => {
        const sink = sinks.get(id)?.sink
        // The sink goes back inside the JSON string the relay URL stood in.
        return sink === undefined ? url : JSON.stringify(sink).slice(1, -1)
      })
      return Buffer.from(restored)
    },
    isOwnRewrite(violation, body) {
      if (!/(^|\.)sink$/.test(violation.path)) return false
      const value = readAt(body, violationPointer(violation.path))
      return typeof value === 'string' && value.startsWith(base)
    },
    find: (id) => sinks.get(id),
  }
}

/** `{$request.body#/sink}` → ['sink']; other runtime expressions are not relayed. */
function bodyPointer(expression: string): string[] | undefined {
  const match = /^\{\$request\.body#(\/[^}]*)\}$/.exec(expression)
  return match ? parsePointer(match[1] as string) : undefined
}

function readAt(value: unknown, pointer: readonly (string | number)[]): unknown {
  let current = value
  for (const segment of pointer) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment]
    else if (isObject(current)) current = current[String(segment)]
    else return undefined
  }
  return current
}

/** `body.items[0].sink` → ['items', 0, 'sink'] */
function violationPointer(path: string): (string | number)[] {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part): part is string => part !== undefined && part !== '')
    .slice(1)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part))
}
