import { CompileCache } from './compile-cache.js'
import { checkPattern } from './compile-pattern.js'
import type { SpecProblem } from './errors.js'
import { err, ok, type Result } from './result.js'
import { parsePointer, parseYamlSource, toPointer, type YamlSource } from './yaml-source.js'

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const
type HttpMethod = (typeof HTTP_METHODS)[number]

export type JsonObject = Record<string, unknown>

/** An operation of a spec, with where it sits: its path template, method and path item. */
interface SpecOperation {
  readonly pathTemplate: string
  readonly method: HttpMethod
  /** The path item, whose `parameters` apply to every operation under it. */
  readonly item: JsonObject
  readonly operation: JsonObject & { readonly operationId: string }
  /** `/paths/~1sessions/post`. */
  readonly pointer: string
}

function hasOperationId(value: unknown): value is JsonObject & { readonly operationId: string } {
  return isObject(value) && typeof value.operationId === 'string'
}

/**
 * Every operation of a document that has an operationId, in document order: the walk the
 * compilers of validators and of callbacks share. checkOperations (below) reports the others.
 */
export function* operationsOf(document: JsonObject): Generator<SpecOperation> {
  const paths = isObject(document.paths) ? document.paths : {}
  for (const [pathTemplate, item] of Object.entries(paths)) {
    if (!isObject(item)) continue
    for (const method of HTTP_METHODS) {
      const operation = item[method]
      if (!hasOperationId(operation)) continue
      yield {
        pathTemplate,
        method,
        item,
        operation,
        pointer: toPointer(['paths', pathTemplate, method]),
      }
    }
  }
}

/** An OpenAPI document that has passed the structural checks callsim relies on. */
export interface LoadedSpec {
  readonly source: string
  readonly document: JsonObject
  readonly dialect: '3.0' | '3.1'
  readonly title: string
  readonly version: string
  /** The path of the first `servers` URL, variables set to their defaults: the mount point. */
  readonly basePath: string
  readonly lineOf: YamlSource['lineOf']
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Follows a local JSON pointer (`#/components/...`) inside a document. */
export function resolvePointer(document: unknown, ref: string): unknown {
  let node: unknown = document
  for (const segment of parsePointer(ref)) {
    if (Array.isArray(node)) node = node[Number(segment)]
    else if (isObject(node)) node = node[segment]
    else return undefined
  }
  return node
}

/** Follows `$ref` chains until a value that is not a reference; undefined if one dangles. */
export function deref(document: unknown, value: unknown): { value: unknown; pointer?: string } {
  let pointer: string | undefined
  let current = value
  for (
    let hops = 0;
    hops < 32 && isObject(current) && typeof current.$ref === 'string';
    hops += 1
  ) {
    pointer = current.$ref
    current = resolvePointer(document, current.$ref)
  }
  return pointer === undefined ? { value: current } : { value: current, pointer }
}

/**
 * Parses an OpenAPI 3.0 or 3.1 document from YAML or JSON text and checks what callsim needs
 * from it: version, paths, operationIds, resolvable local `$ref`s and a servers URL.
 */
export function parseSpec(
  text: string,
  source: string,
  cache: CompileCache = new CompileCache(),
): Result<LoadedSpec, SpecProblem[]> {
  const parsed = parseYamlSource(text, source, cache)
  if (!parsed.ok) return parsed
  const { data, lineOf } = parsed.value
  const problems: SpecProblem[] = []
  const problem = (pointer: string, message: string): void => {
    problems.push({ source, pointer, line: lineOf(pointer), message })
  }
  if (!isObject(data)) {
    return err([
      {
        source,
        pointer: '',
        message: 'not an OpenAPI document: expected a YAML or JSON object at the top',
      },
    ])
  }
  const version = data.openapi
  if (typeof version !== 'string') {
    const hint =
      typeof data.swagger === 'string'
        ? ' (Swagger 2.0 is not supported; convert it to OpenAPI 3)'
        : ''
    problem('/openapi', `not an OpenAPI 3 document: the "openapi" version field is missing${hint}`)
  } else if (!/^3\.[01]\.\d+$/.test(version)) {
    problem('/openapi', `unsupported OpenAPI version "${version}"; callsim reads 3.0.x and 3.1.x`)
  }
  if (!isObject(data.info)) problem('/info', 'the "info" object is missing')
  if (!isObject(data.paths)) {
    problem('/paths', 'the "paths" object is missing, so there is nothing to serve')
  } else {
    checkOperations(data.paths, problem)
  }
  checkRefs(data, data, [], problem)
  if (problems.length > 0) return err(problems)
  return ok(describeSpec(data, source, lineOf))
}

/** A document that passed parseSpec's checks (now or at build time), as a LoadedSpec. */
export function describeSpec(
  document: JsonObject,
  source: string,
  lineOf: YamlSource['lineOf'],
): LoadedSpec {
  const info = isObject(document.info) ? document.info : {}
  return {
    source,
    document,
    dialect: /^3\.1\./.test(String(document.openapi)) ? '3.1' : '3.0',
    title: typeof info.title === 'string' ? info.title : source,
    version: typeof info.version === 'string' ? info.version : '',
    basePath: basePathOf(document),
    lineOf,
  }
}

function checkOperations(
  paths: JsonObject,
  problem: (pointer: string, message: string) => void,
): void {
  const seen = new Map<string, string>()
  for (const [path, item] of Object.entries(paths)) {
    const itemPointer = toPointer(['paths', path])
    if (!path.startsWith('/')) problem(itemPointer, `path "${path}" must start with "/"`)
    if (!isObject(item)) {
      problem(itemPointer, 'a path item must be an object')
      continue
    }
    for (const method of HTTP_METHODS) {
      const operation = item[method]
      if (operation === undefined) continue
      const pointer = toPointer(['paths', path, method])
      if (!isObject(operation)) {
        problem(pointer, 'an operation must be an object')
        continue
      }
      if (typeof operation.operationId !== 'string' || operation.operationId === '') {
        problem(
          pointer,
          `${method.toUpperCase()} ${path} has no operationId; callsim routes handlers by operationId`,
        )
        continue
      }
      const first = seen.get(operation.operationId)
      if (first !== undefined) {
        problem(pointer, `operationId "${operation.operationId}" is used twice (first at ${first})`)
      }
      seen.set(operation.operationId, pointer)
      if (!isObject(operation.responses)) problem(pointer, 'the operation declares no "responses"')
    }
  }
}

/**
 * Checks every `$ref` and every `pattern` (see compile-pattern.ts).
 * Visits every node of every spec at each start: `at` is one path, extended and shortened in
 * place, because a copy of it per node made this walk take twice as long (~7 ms instead of
 * ~3.5 ms for the built-in specs).
 */
function checkRefs(
  root: JsonObject,
  node: unknown,
  at: (string | number)[],
  problem: (pointer: string, message: string) => void,
): void {
  if (Array.isArray(node)) {
    for (let index = 0; index < node.length; index += 1) {
      at.push(index)
      checkRefs(root, node[index], at, problem)
      at.pop()
    }
    return
  }
  if (!isObject(node)) return
  if (typeof node.$ref === 'string') {
    const ref = node.$ref
    if (!ref.startsWith('#')) {
      problem(
        toPointer(at),
        `external reference "${ref}" is not supported; bundle the spec into one file`,
      )
    } else if (resolvePointer(root, ref) === undefined) {
      problem(toPointer(at), `reference "${ref}" points to nothing in this document`)
    }
  }
  if (typeof node.pattern === 'string') {
    // Found at load time, with its line, rather than when a request first meets it.
    const unsafe = checkPattern(node.pattern, 'u')
    if (unsafe !== undefined) problem(toPointer([...at, 'pattern']), unsafe)
  }
  for (const key of Object.keys(node)) {
    // Example values are data, not schema: a "$ref" key inside them means nothing.
    if (key === 'example') continue
    at.push(key)
    checkRefs(root, node[key], at, problem)
    at.pop()
  }
}

function basePathOf(document: JsonObject): string {
  const servers = Array.isArray(document.servers) ? document.servers : []
  const first: unknown = servers[0]
  if (!isObject(first) || typeof first.url !== 'string') return ''
  const variables = isObject(first.variables) ? first.variables : {}
  const url = first.url.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const variable = variables[name]
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : ''
  })
  let path = url
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*(\/.*)?$/i.exec(url)
  if (absolute) path = absolute[1] ?? ''
  return path.replace(/\/+$/, '')
}
