import type { ValidateFunction } from 'ajv'
import { CompileCache } from './compile-cache.js'
import type { SpecProblem } from './errors.js'
import { deref, isObject, operationsOf, type JsonObject, type LoadedSpec } from './load-spec.js'
import type { Direction } from './openapi-schemas.js'
import { OperationIndex } from './operation-index.js'
import { err, ok, type Result } from './result.js'
import { createSchemaCompilers, type SchemaCompiler } from './schema-compiler.js'
import { checkExamples } from './spec-defects.js'
import { toPointer } from './yaml-source.js'

type ParameterLocation = 'path' | 'query' | 'header' | 'cookie'

export interface CompiledParameter {
  readonly name: string
  readonly in: ParameterLocation
  readonly required: boolean
}

export interface CompiledResponse {
  /** Validators by media type; an entry without a schema accepts any body of that type. */
  readonly content: ReadonlyMap<string, ValidateFunction | undefined>
  /** Declared response headers (lower-case names) and their validators. */
  readonly headers: ReadonlyMap<
    string,
    { required: boolean; validate: ValidateFunction | undefined }
  >
}

/** Everything callsim needs at request time for one operation, compiled once at start-up. */
export interface CompiledOperation {
  readonly operationId: string
  readonly method: string
  readonly pathTemplate: string
  readonly parameters: readonly CompiledParameter[]
  /** Lower-case header name → the spelling the spec declares, for messages. */
  readonly headerNames: ReadonlyMap<string, string>
  /** Validates {path, query, header} objects; coerces strings to the declared types in place. */
  readonly validateParameters: Readonly<
    Record<'path' | 'query' | 'header', ValidateFunction | undefined>
  >
  readonly requestBody:
    | {
        readonly required: boolean
        readonly content: ReadonlyMap<string, ValidateFunction | undefined>
      }
    | undefined
  /** Keys are '201', '4XX' or 'default', as in the spec. */
  readonly responses: ReadonlyMap<string, CompiledResponse>
  /**
   * The OpenAPI security requirements: any one alternative satisfied grants access. An
   * alternative naming no scheme (`{}`) makes the token optional; none at all makes it public.
   */
  readonly security: readonly SecurityAlternative[]
  /**
   * The query parameter that names the function of a JSONP response, from the operation's
   * `x-jsonp-callback`; with a valid name there, the response is `<name>(<JSON>);`.
   */
  readonly jsonpCallback: string | undefined
  /** Whether the operation declares the RFC 6750 §2.3 `access_token` query parameter. */
  readonly acceptsQueryToken: boolean
  readonly raw: JsonObject
}

export interface SecurityAlternative {
  readonly schemes: readonly string[]
  readonly scopes: readonly string[]
}

export interface CompiledSpec {
  readonly spec: LoadedSpec
  /**
   * What callsim noticed about the file but serves anyway (docs/spec-defects.md): defects the
   * load repaired or kept as written, examples that break their schema, bodies with no schema.
   */
  readonly warnings: readonly SpecProblem[]
  readonly operations: ReadonlyMap<string, CompiledOperation>
  readonly index: OperationIndex<CompiledOperation>
}

/**
 * Compiles every parameter, body and response validator of a spec and indexes its routes.
 * Validators come from the cache when it has them (compile-cache.ts). `checkExamples: false`
 * skips running each validator on its media type's examples: for a spec whose warnings the
 * build already found (CompileCache.checkedSpec); running them would load every validator.
 */
export function compileSpec(
  spec: LoadedSpec,
  cache: CompileCache = new CompileCache(),
  { checkExamples: withExamples = true }: { readonly checkExamples?: boolean } = {},
): Result<CompiledSpec, SpecProblem[]> {
  const problems: SpecProblem[] = []
  const { bodies, params } = createSchemaCompilers(spec, cache)

  const compile = (
    compiler: SchemaCompiler,
    schema: object,
    pointer: string,
  ): ValidateFunction | undefined => {
    try {
      return compiler.compile(schema)
    } catch (error) {
      problems.push({
        source: spec.source,
        pointer,
        line: spec.lineOf(pointer),
        message: `schema cannot be compiled: ${error instanceof Error ? error.message : String(error)}`,
      })
      return undefined
    }
  }
  const schemaAt = (direction: Direction, pointer: string): object => ({
    $ref: `${direction}.json#${pointer}`,
  })

  const warnings: SpecProblem[] = []
  const compileContent = (direction: Direction, holderPointer: string, holder: JsonObject) => {
    const content = new Map<string, ValidateFunction | undefined>()
    for (const [mediaType, media] of Object.entries(
      isObject(holder.content) ? holder.content : {},
    )) {
      const mediaPointer = `${holderPointer}${toPointer(['content', mediaType])}`
      const pointer = `${mediaPointer}/schema`
      const hasSchema = isObject(media) && media.schema !== undefined
      const validate = hasSchema
        ? compile(bodies, schemaAt(direction, pointer), pointer)
        : undefined
      content.set(mediaType.toLowerCase(), validate)
      if (validate) {
        if (withExamples)
          warnings.push(...checkExamples(spec, media, mediaPointer, (value) => validate(value)))
      } else if (!hasSchema && direction === 'response') {
        warnings.push({
          source: spec.source,
          pointer: mediaPointer,
          line: spec.lineOf(mediaPointer),
          message: `this response declares ${mediaType} with no schema, so callsim cannot check what it sends; it sends its own representation.`,
        })
      }
    }
    return content
  }

  const operations = new Map<string, CompiledOperation>()
  const index = new OperationIndex<CompiledOperation>()
  for (const { pathTemplate, method, item, operation, pointer: operationPointer } of operationsOf(
    spec.document,
  )) {
    // Path-level parameters apply unless the operation overrides the same name and location.
    const byKey = new Map<string, { parameter: JsonObject; pointer: string }>()
    const collect = (list: unknown, listPointer: string): void => {
      if (!Array.isArray(list)) return
      list.forEach((entry, position) => {
        const resolved = deref(spec.document, entry)
        if (!isObject(resolved.value)) return
        const pointer = resolved.pointer?.slice(1) ?? `${listPointer}/${position}`
        byKey.set(`${String(resolved.value.in)}:${String(resolved.value.name)}`, {
          parameter: resolved.value,
          pointer,
        })
      })
    }
    collect(item.parameters, toPointer(['paths', pathTemplate, 'parameters']))
    collect(operation.parameters, `${operationPointer}/parameters`)

    const parameters: CompiledParameter[] = []
    const groups: Record<
      'path' | 'query' | 'header',
      { properties: JsonObject; required: string[] }
    > = {
      path: { properties: {}, required: [] },
      query: { properties: {}, required: [] },
      header: { properties: {}, required: [] },
    }
    for (const { parameter, pointer } of byKey.values()) {
      const location = parameter.in as ParameterLocation
      const name = String(parameter.name)
      const required = parameter.required === true || location === 'path'
      parameters.push({ name, in: location, required })
      if (location === 'cookie') continue
      const group = groups[location]
      if (!group) continue
      // Node lower-cases incoming header names; HTTP header names are case-insensitive.
      const key = location === 'header' ? name.toLowerCase() : name
      group.properties[key] =
        parameter.schema === undefined ? {} : schemaAt('request', `${pointer}/schema`)
      if (required) group.required.push(key)
    }
    const compileGroup = (location: 'path' | 'query' | 'header') => {
      const group = groups[location]
      if (Object.keys(group.properties).length === 0) return undefined
      return compile(
        params,
        { type: 'object', properties: group.properties, required: group.required },
        `${operationPointer}/parameters`,
      )
    }

    let requestBody: CompiledOperation['requestBody']
    const body = deref(spec.document, operation.requestBody)
    if (isObject(body.value)) {
      const bodyPointer = body.pointer?.slice(1) ?? `${operationPointer}/requestBody`
      requestBody = {
        required: body.value.required === true,
        content: compileContent('request', bodyPointer, body.value),
      }
    }

    const responses = new Map<string, CompiledResponse>()
    for (const [status, entry] of Object.entries(
      isObject(operation.responses) ? operation.responses : {},
    )) {
      const resolved = deref(spec.document, entry)
      if (!isObject(resolved.value)) continue
      const responsePointer =
        resolved.pointer?.slice(1) ?? `${operationPointer}${toPointer(['responses', status])}`
      const headers = new Map<
        string,
        { required: boolean; validate: ValidateFunction | undefined }
      >()
      for (const [name, header] of Object.entries(
        isObject(resolved.value.headers) ? resolved.value.headers : {},
      )) {
        const headerResolved = deref(spec.document, header)
        if (!isObject(headerResolved.value)) continue
        const headerPointer =
          headerResolved.pointer?.slice(1) ?? `${responsePointer}${toPointer(['headers', name])}`
        const validate =
          headerResolved.value.schema === undefined
            ? undefined
            : compile(params, schemaAt('response', `${headerPointer}/schema`), headerPointer)
        headers.set(name.toLowerCase(), {
          required: headerResolved.value.required === true,
          validate,
        })
      }
      responses.set(status.toUpperCase(), {
        content: compileContent('response', responsePointer, resolved.value),
        headers,
      })
    }

    const compiled: CompiledOperation = {
      operationId: operation.operationId,
      method: method.toUpperCase(),
      pathTemplate,
      parameters,
      headerNames: new Map(
        parameters.filter((p) => p.in === 'header').map((p) => [p.name.toLowerCase(), p.name]),
      ),
      validateParameters: {
        path: compileGroup('path'),
        query: compileGroup('query'),
        header: compileGroup('header'),
      },
      requestBody,
      responses,
      security: securityOf(operation.security ?? spec.document.security),
      jsonpCallback:
        typeof operation['x-jsonp-callback'] === 'string'
          ? operation['x-jsonp-callback']
          : undefined,
      acceptsQueryToken: parameters.some(
        (parameter) => parameter.in === 'query' && parameter.name === 'access_token',
      ),
      raw: operation,
    }
    operations.set(compiled.operationId, compiled)
    index.add(compiled.method, pathTemplate, compiled)
  }
  if (problems.length > 0) return err(problems)
  return ok({ spec, operations, index, warnings })
}

function securityOf(value: unknown): readonly SecurityAlternative[] {
  if (!Array.isArray(value)) return []
  return value.filter(isObject).map((requirement) => ({
    schemes: Object.keys(requirement),
    scopes: Object.values(requirement).flatMap((scopes) =>
      Array.isArray(scopes) ? scopes.map(String) : [],
    ),
  }))
}

export type { ValidateFunction }
