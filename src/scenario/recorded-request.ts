import type { CompiledOperation } from '../contract/index.js'
import type { ObservedExchange } from './observation.js'

/** A forwarded request read back into the operation's parameters, as a client step names them. */
export interface RecordedRequest {
  /** Path, query and header parameters by the names the spec declares. */
  readonly params: ReadonlyMap<string, string | readonly string[]>
}

/** The claims of a bearer token that say whose request it was. */
export interface BearerClaims {
  readonly sub: string | undefined
  readonly scope: string | undefined
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

/**
 * The operation's parameters in an observed request, or a reason when the path does not fit the
 * operation's template. The template is relative to the face's base path, so it is matched
 * against the end of the path.
 */
export function toRecordedRequest(
  exchange: ObservedExchange,
  operation: CompiledOperation,
): RecordedRequest | string {
  const question = exchange.path.indexOf('?')
  const pathPart = question === -1 ? exchange.path : exchange.path.slice(0, question)
  const segments = pathPart.split('/').slice(1)
  if (segments.length > 1 && segments.at(-1) === '') segments.pop()
  const template = operation.pathTemplate.split('/').slice(1)
  if (template.length > 1 && template.at(-1) === '') template.pop()
  if (template.length > segments.length)
    return `the path does not fit ${operation.operationId}'s ${operation.pathTemplate}`
  const offset = segments.length - template.length
  const params = new Map<string, string | readonly string[]>()
  for (const [index, part] of template.entries()) {
    const actual = decodeSegment(segments[offset + index] as string)
    if (actual === undefined) return 'the path has a malformed %-escape'
    const name = /^\{([^}]+)\}$/.exec(part)?.[1]
    if (name !== undefined) params.set(name, actual)
    else if (part !== actual)
      return `the path does not fit ${operation.operationId}'s ${operation.pathTemplate}`
  }
  const query = new URLSearchParams(question === -1 ? '' : exchange.path.slice(question + 1))
  for (const parameter of operation.parameters) {
    if (parameter.in === 'query') {
      const values = query.getAll(parameter.name)
      if (values.length === 1) params.set(parameter.name, values[0] as string)
      else if (values.length > 1) params.set(parameter.name, values)
    } else if (parameter.in === 'header') {
      const name = parameter.name.toLowerCase()
      // The token is replayed through the step's `auth`, never as a literal header.
      if (name === 'authorization') continue
      const value = exchange.requestHeaders[name]
      if (value !== undefined) params.set(parameter.name, value)
    }
  }
  return { params }
}

/**
 * `sub` and `scope` of a bearer JWT, read without checking its signature: the recording needs
 * to know whose request it was, not whether to trust it. Anything else gives no claims.
 */
export function bearerClaims(authorization: string | undefined): BearerClaims | undefined {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1]
  const payload = token?.split('.')[1]
  if (payload === undefined || payload.length > 16_384) return undefined
  try {
    const base64 = payload.replace(/-/g, '+').replace(/_/g, '/')
    const claims = JSON.parse(atob(base64)) as unknown
    if (typeof claims !== 'object' || claims === null) return undefined
    const { sub, scope } = claims as { sub?: unknown; scope?: unknown }
    return {
      // The steps schema takes a tel: or sip: subscriber; any other sub is not replayable.
      sub:
        typeof sub === 'string' && /^(tel|sip):/.test(sub) && sub.length <= 256 ? sub : undefined,
      scope: typeof scope === 'string' && scope.length <= 4096 ? scope : undefined,
    }
  } catch {
    return undefined
  }
}
