import type { CompiledOperation } from '../contract/index.js'
import { err, ok, type Result } from '../contract/index.js'
import type { CatalogEntry } from './operation-catalog.js'

/** A request ready to go on the wire. Header names are lower-case. */
export interface OutgoingRequest {
  readonly method: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
}

type Scalar = string | number | boolean

/** Finds the declared parameter a `params` key names: exact first, then, for headers, any case. */
function findParameter(operation: CompiledOperation, name: string) {
  return (
    operation.parameters.find((p) => p.name === name) ??
    operation.parameters.find(
      (p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase(),
    )
  )
}

/** The names `params` may use for an operation, for messages. */
function describeParameters(operation: CompiledOperation): string {
  const names = operation.parameters
    .filter((p) => p.in !== 'cookie')
    .map((p) => `${p.name} (${p.in})`)
  return names.length === 0 ? 'it declares no parameters' : `declared: ${names.join(', ')}`
}

/** The `params` keys an operation does not declare; checked before a run and before a request. */
export function findUndeclaredParams(
  operation: CompiledOperation,
  params: Readonly<Record<string, unknown>>,
): string[] {
  return Object.keys(params)
    .filter((name) => {
      const parameter = findParameter(operation, name)
      return parameter === undefined || parameter.in === 'cookie'
    })
    .map(
      (name) =>
        `params.${name}: ${operation.operationId} has no parameter "${name}"; ${describeParameters(operation)}. Send other headers with headers.`,
    )
}

/**
 * Builds the HTTP request of an operation: path parameters into the path template, query and
 * header parameters where the spec declares them, the body as JSON (or raw text).
 */
export function buildRequest(
  entry: CatalogEntry,
  input: {
    readonly baseUrl: string
    readonly params: Readonly<Record<string, unknown>>
    readonly headers: Readonly<Record<string, string>>
    readonly body: unknown
    readonly rawBody: string | undefined
  },
): Result<OutgoingRequest, string[]> {
  const { operation, spec } = entry
  const problems = findUndeclaredParams(operation, input.params)
  const pathValues: Record<string, string> = {}
  const query = new URLSearchParams()
  const headers: Record<string, string> = { accept: 'application/json' }
  for (const [name, value] of Object.entries(input.params)) {
    const parameter = findParameter(operation, name)
    if (!parameter) continue
    const values = (Array.isArray(value) ? value : [value]) as Scalar[]
    if (values.some((v) => typeof v === 'object' && v !== null)) {
      problems.push(
        `params.${name}: must be a string, number or boolean (or a list of them), got an object`,
      )
      continue
    }
    if (parameter.in === 'path') pathValues[parameter.name] = values.map(String).join(',')
    else if (parameter.in === 'query')
      values.forEach((v) => query.append(parameter.name, String(v)))
    else if (parameter.in === 'header')
      headers[parameter.name.toLowerCase()] = values.map(String).join(',')
  }
  const path = operation.pathTemplate.replace(/\{([^}]+)\}/g, (match, name: string) => {
    const value = pathValues[name]
    if (value === undefined) {
      problems.push(
        `params.${name}: ${operation.operationId} needs the path parameter ${name} (${operation.method} ${operation.pathTemplate})`,
      )
      return match
    }
    return encodeURIComponent(value)
  })
  if (problems.length > 0) return err(problems)

  let body: string | undefined
  if (input.rawBody !== undefined) {
    body = input.rawBody
  } else if (input.body !== undefined) {
    body = JSON.stringify(input.body)
    const declared = operation.requestBody ? [...operation.requestBody.content.keys()] : []
    headers['content-type'] =
      declared.find((type) => type === 'application/json' || type.endsWith('+json')) ??
      'application/json'
  }
  for (const [name, value] of Object.entries(input.headers)) headers[name.toLowerCase()] = value

  const search = query.toString()
  const url = `${input.baseUrl.replace(/\/+$/, '')}${spec.spec.basePath}${path}${search === '' ? '' : `?${search}`}`
  return ok({ method: operation.method, url, headers, body })
}
