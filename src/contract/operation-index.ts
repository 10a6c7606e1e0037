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
    const params: Record<string, string> = {}
    const node = this.walk(this.root, splitPath(path), 0, params, method.toUpperCase())
    if (!node) return { kind: 'not-found', allowed: [] }
    const target = node.methods.get(method.toUpperCase())
    if (target === undefined) return { kind: 'method-not-allowed', allowed: [...node.methods.keys()] }
    return { kind: 'matched', target, pathParams: params }
  }

  private walk(
    node: RouteNode<T>,
    segments: readonly string[],
    index: number,
    params: Record<string, string>,
    method: string,
  ): RouteNode<T> | undefined {
    if (index === segments.length) return node.methods.size > 0 ? node : undefined
    const segment = segments[index] as string
    const literal = node.literal.get(segment)
    let fallback: RouteNode<T> | undefined
    if (literal) {
      const found = this.walk(literal, segments, index + 1, params, method)
      if (found?.methods.has(method)) return found
      fallback = found
    }
    if (node.param && segment !== '') {
      let value: string
      try {
        value = decodeURIComponent(segment)
      } catch {
        value = segment
      }
      const found = this.walk(node.param.node, segments, index + 1, params, method)
      if (found) {
        if (found.methods.has(method) || !fallback) {
          params[node.param.name] = value
          return found
        }
      }
    }
    return fallback
  }
}
