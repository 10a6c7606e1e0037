/**
 * Finds the operation for a method and a concrete path in one walk of a segment tree built at
 * start-up. Literal segments win over parameters, so `/sessions/search` beats
 * `/sessions/{id}` as OpenAPI requires.
 */
export interface RouteMatch<T> {
  readonly kind: 'matched'
  readonly target: T
  readonly pathParams: Record<string, string>
}

export interface RouteMiss {
  readonly kind: 'not-found' | 'method-not-allowed'
  /** Methods the path does answer, for a 405's `Allow` header. */
  readonly allowed: readonly string[]
}

interface RouteNode<T> {
  readonly literal: Map<string, RouteNode<T>>
  param: { name: string; node: RouteNode<T> } | undefined
  readonly methods: Map<string, T>
}

function createNode<T>(): RouteNode<T> {
  return { literal: new Map(), param: undefined, methods: new Map() }
}

function splitPath(path: string): string[] {
  const segments = path.split('/')
  segments.shift()
  // A trailing slash names the same resource: /sessions/ is /sessions.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop()
  return segments
}

export class OperationIndex<T> {
  private readonly root = createNode<T>()

  /** `template` is relative to the spec's base path, e.g. `/sessions/{mediaSessionId}`. */
  add(method: string, template: string, target: T): void {
    let node = this.root
    for (const segment of splitPath(template)) {
      const param = /^\{([^}]+)\}$/.exec(segment)
      if (param) {
        const name = param[1] as string
        node.param ??= { name, node: createNode<T>() }
        node = node.param.node
      } else {
        let next = node.literal.get(segment)
        if (!next) {
          next = createNode<T>()
          node.literal.set(segment, next)
        }
        node = next
      }
    }
    node.methods.set(method.toUpperCase(), target)
  }

  match(method: string, path: string): RouteMatch<T> | RouteMiss {
    const found = this.walk(this.root, splitPath(path), 0, method.toUpperCase())
    if (!found) return { kind: 'not-found', allowed: [] }
    const target = found.node.methods.get(method.toUpperCase())
    if (target === undefined) return { kind: 'method-not-allowed', allowed: [...found.node.methods.keys()] }
    return { kind: 'matched', target, pathParams: found.params }
  }

  /**
   * Depth-first, literal before parameter. Each branch returns its own parameters, so a branch
   * that was explored and abandoned leaves nothing behind in the match.
   */
  private walk(
    node: RouteNode<T>,
    segments: readonly string[],
    index: number,
    method: string,
  ): { node: RouteNode<T>; params: Record<string, string> } | undefined {
    if (index === segments.length) return node.methods.size > 0 ? { node, params: {} } : undefined
    const segment = segments[index] as string
    const literal = node.literal.get(segment)
    let fallback: { node: RouteNode<T>; params: Record<string, string> } | undefined
    if (literal) {
      const found = this.walk(literal, segments, index + 1, method)
      if (found?.node.methods.has(method)) return found
      fallback = found
    }
    if (node.param && segment !== '') {
      const found = this.walk(node.param.node, segments, index + 1, method)
      if (found && (found.node.methods.has(method) || !fallback)) {
        return { node: found.node, params: { ...found.params, [node.param.name]: decodeSegment(segment) } }
      }
    }
    return fallback
  }
}

/** A malformed escape such as `%E0%A4%A` is kept as it came rather than refused here. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
