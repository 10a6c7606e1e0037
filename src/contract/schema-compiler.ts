import { createRequire } from 'node:module'
import type * as AjvModule from 'ajv'
import type { Ajv, Options, ValidateFunction } from 'ajv'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import { CompileCache, sha256, type AjvInstance } from './compile-cache.js'
import { useLinearPatterns } from './linear-pattern-keyword.js'
import type { JsonObject } from './load-spec.js'
import { toJsonSchemaDocument, type Direction } from './openapi-schemas.js'

// ajv and its code generator are loaded on first use only: when every validator comes from
// the build-time cache (see CompileCache), start-up never loads them at all.
const requireModule = createRequire(import.meta.url)

const AJV_OPTIONS: Options = {
  strict: false,
  allErrors: true,
  logger: false,
  validateSchema: false,
  // Large specs repeat the same component under many responses; share one compiled function.
  addUsedSchema: false,
}

type FormatsPlugin = (ajv: Ajv) => Ajv

function newAjv(dialect: '3.0' | '3.1' | '07', options: Options, keepSource: boolean): Ajv {
  // Standalone code can be generated only from an ajv that kept the source of its functions.
  const withSource: Options = keepSource
    ? { ...options, code: { ...options.code, source: true } }
    : options
  const ajv =
    dialect === '3.1'
      ? new (requireModule('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020(withSource)
      : new (requireModule('ajv') as { Ajv: typeof Ajv }).Ajv(withSource)
  // Patterns run on request data and user files: in linear time, whatever the input.
  useLinearPatterns(ajv, requireModule('ajv') as typeof AjvModule)
  return ajv
}

/** A lenient ajv for third-party OpenAPI schemas: `coerce` for parameters, which arrive as strings. */
function createOpenApiAjv(dialect: '3.0' | '3.1', coerce: boolean, keepSource: boolean): Ajv {
  const ajv = newAjv(
    dialect,
    {
      ...AJV_OPTIONS,
      coerceTypes: coerce ? 'array' : false,
      useDefaults: coerce,
      // Infinity and NaN are numbers to JavaScript but not to JSON, which writes them as null: a
      // response holding one would otherwise pass its check and reach the client as null.
      strictNumbers: true,
    },
    keepSource,
  )
  ;(requireModule('ajv-formats') as FormatsPlugin)(ajv)
  return ajv
}

const documentHashes = new WeakMap<object, string>()

function hashOf(document: JsonObject): string {
  let hash = documentHashes.get(document)
  if (hash === undefined) {
    hash = sha256(JSON.stringify(document))
    documentHashes.set(document, hash)
  }
  return hash
}

/** Compiles schemas that `$ref` into a spec's converted request.json / response.json documents. */
export interface SchemaCompiler {
  /** Throws, as ajv does, when the schema cannot be compiled. */
  compile(schema: object): ValidateFunction
}

/** An ajv made on first use (a cached validator needs none), adopted by a recording cache. */
function lazyInstance(
  cache: CompileCache,
  create: (keepSource: boolean) => Ajv,
): () => AjvInstance {
  let made: AjvInstance | undefined
  return () => {
    if (!made) {
      made = {
        ajv: create(cache.keepsSource),
        ids: cache.keepsSource ? new Map<string, string>() : undefined,
      }
      cache.adopt(made)
    }
    return made
  }
}

/**
 * The two compilers a spec needs: `bodies` for JSON bodies, `params` for parameters and
 * headers (strings coerced to the declared types, defaults filled in). They share one lazy
 * conversion of the document, made only when a validator is not in the cache. A validator's
 * cache key is what determines its code: the ajv flavour, the document, and the schema.
 */
export function createSchemaCompilers(
  spec: { readonly document: JsonObject; readonly dialect: '3.0' | '3.1' },
  cache: CompileCache,
): Record<'bodies' | 'params', SchemaCompiler> {
  let documents: Record<Direction, JsonObject> | undefined
  const converted = (): Record<Direction, JsonObject> => {
    documents ??= {
      request: toJsonSchemaDocument(spec.document, spec.dialect, 'request'),
      response: toJsonSchemaDocument(spec.document, spec.dialect, 'response'),
    }
    return documents
  }
  const create = (coerce: boolean): SchemaCompiler => {
    const flavour = `openapi-${spec.dialect}/${coerce ? 'params' : 'bodies'}`
    const instance = lazyInstance(cache, (keepSource) => {
      const ajv = createOpenApiAjv(spec.dialect, coerce, keepSource)
      ajv.addSchema(converted().request, 'request.json')
      ajv.addSchema(converted().response, 'response.json')
      return ajv
    })
    return {
      compile: (schema) =>
        cache.validator(
          `${flavour}|${hashOf(spec.document)}|${JSON.stringify(schema)}`,
          instance,
          schema,
        ),
    }
  }
  return { bodies: create(false), params: create(true) }
}

/**
 * Compiles a self-contained JSON Schema (draft-07) with the given ajv options, through the
 * cache: for callsim's own formats, such as the scenario file schema.
 * @example compileJsonSchema(schema, { allErrors: true, strict: true }, new CompileCache())
 */
export function compileJsonSchema(
  schema: object,
  options: Options,
  cache: CompileCache = new CompileCache(),
): ValidateFunction {
  const key = `json-schema|${JSON.stringify(options)}|${JSON.stringify(schema)}`
  return cache.validator(
    key,
    lazyInstance(cache, (keepSource) => newAjv('07', options, keepSource)),
    schema,
  )
}
