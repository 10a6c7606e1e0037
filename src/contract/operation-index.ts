/**
 * Finds the operation for a method and a concrete path in one walk of a segment tree built at
 * start-up. Literal segments win over parameters, so `/sessions/search` beats
 * `/sessions/{id}` as OpenAPI requires. An empty segment where a route has a parameter
 * (`GET /sessions/`, `PUT /sessions//status`) matches that route with the parameter set to
 * `''`, so request validation can answer 400 naming it, as CAMARA's acceptance tests expect,
 * instead of a routing miss or, worse, the list operation one segment up.
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

/**
 * A route's parameter names live with the route, not with the tree node: `/{contactId}/{userPhone}`
 * and `/{sessionId}/status` share the node of their first segment but name it differently.
 */
interface RouteEntry<T> {
  readonly target: T
  readonly paramNames: readonly string[]
}

interface RouteNode<T> {
  readonly literal: Map<string, RouteNode<T>>
  param: RouteNode<T> | undefined
  readonly methods: Map<string, RouteEntry<T>>
}

function createNode<T>(): RouteNode<T> {
  return { literal: new Map(), param: undefined, methods: new Map() }
}

function rawSegments(path: string): string[] {
  const segments = path.split('/')
  segments.shift()
  return segments
}

function splitPath(path: string): string[] {
  const segments = rawSegments(path)
  // A trailing slash names the same resource: /sessions/ is /sessions.
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop()
  return segments
}

export class OperationIndex<T> {
  private readonly root = createNode<T>()

  /** `template` is relative to the spec's base path, e.g. `/sessions/{mediaSessionId}`. */
  add(method: string, template: string, target: T): void {
    let node = this.root
    const paramNames: string[] = []
    for (const segment of splitPath(template)) {
      const param = /^\{([^}]+)\}$/.exec(segment)
      if (param) {
        paramNames.push(param[1] as string)
        node.param ??= createNode<T>()
        node = node.param
      } else {
        let next = node.literal.get(segment)
        if (!next) {
          next = createNode<T>()
          node.literal.set(segment, next)
        }
        node = next
      }
    }
    node.methods.set(method.toUpperCase(), { target, paramNames })
  }

  match(method: string, path: string): RouteMatch<T> | RouteMiss {
    // HEAD is GET without the body (RFC 9110 §9.3.2): wherever a spec declares a GET and no
    // HEAD, HEAD runs the GET operation, and Node leaves the body out.
    const upper = method.toUpperCase()
    const wanted = upper === 'HEAD' ? 'GET' : upper
    const segments = splitPath(path)
    let found = this.walk(this.root, segments, 0, wanted, false)
    const raw = rawSegments(path)
    // Only a path with an empty segment can leave a parameter empty; the exact route wins.
    if (raw.includes('') && !(found?.node.methods.has(wanted) && raw.length === segments.length)) {
      const empty = this.walk(this.root, raw, 0, wanted, true)
      if (empty?.node.methods.has(wanted) && empty.values.includes('')) found = empty
    }
    if (!found) return { kind: 'not-found', allowed: [] }
    const { methods } = found.node
    const entry = methods.get(upper) ?? (upper === 'HEAD' ? methods.get('GET') : undefined)
    if (entry === undefined) {
      const allowed = [...methods.keys()]
      if (methods.has('GET') && !methods.has('HEAD')) allowed.push('HEAD')
      return { kind: 'method-not-allowed', allowed }
    }
    // The walk collected the parameter values in path order; the route knows their names.
    const pathParams: Record<string, string> = {}
    entry.paramNames.forEach((name, position) => {
      pathParams[name] = found.values[position] as string
    })
    return { kind: 'matched', target: entry.target, pathParams }
  }

  /**
   * Depth-first, literal before parameter. Each branch returns the values of its own parameter
   * segments, so a branch that was explored and abandoned leaves nothing behind in the match.
   * An empty segment fills a parameter only when `allowEmpty` is set.
   */
  private walk(
    node: RouteNode<T>,
    segments: readonly string[],
    index: number,
    method: string,
    allowEmpty: boolean,
  ): { node: RouteNode<T>; values: string[] } | undefined {
    if (index === segments.length) return node.methods.size > 0 ? { node, values: [] } : undefined
    const segment = segments[index] as string
    const literal = node.literal.get(segment)
    let fallback: { node: RouteNode<T>; values: string[] } | undefined
    if (literal) {
      const found = this.walk(literal, segments, index + 1, method, allowEmpty)
      if (found?.node.methods.has(method)) return found
      fallback = found
    }
    if (node.param && (segment !== '' || allowEmpty)) {
      const found = this.walk(node.param, segments, index + 1, method, allowEmpty)
      if (found && (found.node.methods.has(method) || !fallback)) {
        return { node: found.node, values: [decodeSegment(segment), ...found.values] }
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
