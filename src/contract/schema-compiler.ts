import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'
import type { Ajv, Options, ValidateFunction } from 'ajv'
import type { Ajv2020 } from 'ajv/dist/2020.js'
import type { JsonObject } from './load-spec.js'
import { toJsonSchemaDocument, type Direction } from './openapi-schemas.js'

// ajv and its code generator are loaded on first use only: when every validator comes from
// the build-time cache (see installPrecompiledCache), start-up never loads them at all.
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

function newAjv(dialect: '3.0' | '3.1' | '07', options: Options): Ajv {
  // Standalone code can be generated only from an ajv that kept the source of its functions.
  const withSource: Options = recording
    ? { ...options, code: { ...options.code, source: true } }
    : options
  return dialect === '3.1'
    ? new (requireModule('ajv/dist/2020.js') as { Ajv2020: typeof Ajv2020 }).Ajv2020(withSource)
    : new (requireModule('ajv') as { Ajv: typeof Ajv }).Ajv(withSource)
}

/** A lenient ajv for third-party OpenAPI schemas: `coerce` for parameters, which arrive as strings. */
function createOpenApiAjv(dialect: '3.0' | '3.1', coerce: boolean): Ajv {
  const ajv = newAjv(dialect, {
    ...AJV_OPTIONS,
    coerceTypes: coerce ? 'array' : false,
    useDefaults: coerce,
  })
  ;(requireModule('ajv-formats') as FormatsPlugin)(ajv)
  return ajv
}

/**
 * What `npm run build` made from a default start-up: the YAML it parsed (with the lines it
 * looked up) and the validators it compiled, as ajv standalone code of the very same schemas.
 * A lookup that misses falls back to parsing and compiling, so a stale or missing cache
 * costs time, never correctness.
 */
export interface PrecompiledCache {
  /** JSON text `{"data": …, "lines": {pointer: line}}` for the sha256 of a YAML or JSON text. */
  document(textHash: string): string | undefined
  /** A validator by its key (see validatorKey). */
  validator(key: string): ValidateFunction | undefined
  /** Whether the build found the text with this hash valid against the validator with this key hash. */
  accepted(textHash: string, validatorKeyHash: string): boolean
}

/** A cached document: its data, and the line of each pointer start-up asked about. */
export interface CachedDocument {
  readonly data: unknown
  readonly lines: Readonly<Record<string, number | null>>
}

let installed: PrecompiledCache | undefined

/** Makes every later parse and compile in this process consult `cache` first. */
export function installPrecompiledCache(cache: PrecompiledCache | undefined): void {
  installed = cache
}

/** The document for a text, freshly parsed from the cache (callers may mutate it), if cached. */
export function cachedDocument(text: string): CachedDocument | undefined {
  if (recording || !installed) return undefined
  const json = installed.document(textHash(text))
  return json === undefined ? undefined : (JSON.parse(json) as CachedDocument)
}

/** What a recording run produced: documents by text hash, and one standalone module per ajv. */
export interface RecordedCache {
  /** Text hash → JSON text of a CachedDocument. */
  readonly documents: ReadonlyMap<string, string>
  /** CommonJS source that exports validators by name, and the validator key of each name. */
  readonly modules: readonly {
    readonly code: string
    readonly exports: ReadonlyMap<string, string>
  }[]
  /** `textHash|validatorKeyHash` of every text a validator accepted (see recordAccepted). */
  readonly accepted: ReadonlySet<string>
}

interface Recording {
  /** Text hash → the data as JSON (taken at once: consumers may mutate it) and the lines asked for. */
  readonly documents: Map<string, { json: string; lines: Record<string, number | null> }>
  readonly instances: { ajv: Ajv; ids: Map<string, string> }[]
  readonly accepted: Set<string>
}

let recording: Recording | undefined

/**
 * Runs `task` (a start-up) and records every document parsed and every validator compiled
 * during it, then turns the validators into ajv standalone code. The build calls this.
 */
export function recordPrecompiledCache(task: () => void): RecordedCache {
  const current: Recording = { documents: new Map(), instances: [], accepted: new Set() }
  recording = current
  try {
    task()
  } finally {
    recording = undefined
  }
  const standaloneCode = requireModule('ajv/dist/standalone') as (
    ajv: Ajv,
    refs: Record<string, string>,
  ) => string
  const modules = current.instances
    .filter(({ ids }) => ids.size > 0)
    .map(({ ajv, ids }) => {
      const exports = new Map([...ids].map(([key, id]) => [id, key]))
      return {
        code: standaloneCode(ajv, Object.fromEntries([...ids.values()].map((id) => [id, id]))),
        exports,
      }
    })
  const documents = new Map(
    [...current.documents].map(([hash, { json, lines }]) => [
      hash,
      `{"data":${json},"lines":${JSON.stringify(lines)}}`,
    ]),
  )
  return { documents, modules, accepted: current.accepted }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

// A file's text is hashed to find its parsed document and then again to ask whether the build
// accepted it; the last text and its hash answer the second time.
let lastText: string | undefined
let lastTextHash = ''

/** The cache key of a source text. */
function textHash(text: string): string {
  if (text !== lastText) {
    lastText = text
    lastTextHash = sha256(text)
  }
  return lastTextHash
}

/**
 * Remembers a parsed text for the cache, if it survives a JSON round trip unchanged (YAML can
 * hold what JSON cannot, such as .inf; such a text is simply parsed every time). Returns a
 * function that records each line looked up, so that start-up's own lookups are cached too.
 */
export function recordDocument(
  text: string,
  data: unknown,
): ((pointer: string, line: number | undefined) => void) | undefined {
  if (!recording) return undefined
  const json = JSON.stringify(data)
  if (json === undefined || !isDeepStrictEqual(JSON.parse(json), data)) return undefined
  // No prototype: a pointer such as /__proto__ is just a key here.
  const document = { json, lines: Object.create(null) as Record<string, number | null> }
  recording.documents.set(textHash(text), document)
  return (pointer, line) => {
    document.lines[pointer] = line ?? null
  }
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

/**
 * Looks a validator up in the installed cache, else compiles it with the ajv `instance()`
 * gives; while recording, the schema is registered under an id for standalone export.
 */
function compileWith(
  key: string,
  instance: () => { ajv: Ajv; ids: Map<string, string> | undefined },
  schema: object,
): ValidateFunction {
  const validate = compileOrLoad(key, instance, schema)
  validatorKeys.set(validate, { key, hash: undefined })
  return validate
}

function compileOrLoad(
  key: string,
  instance: () => { ajv: Ajv; ids: Map<string, string> | undefined },
  schema: object,
): ValidateFunction {
  const cached = recording ? undefined : installed?.validator(key)
  if (cached) return cached
  const { ajv, ids } = instance()
  if (!ids) return ajv.compile(schema)
  let id = ids.get(key)
  if (id === undefined) {
    id = `v${ids.size}`
    ajv.addSchema(schema, id)
    ids.set(key, id)
  }
  const validate = ajv.getSchema(id)
  if (!validate) throw new Error(`ajv lost the schema it was given as ${id}`)
  return validate
}

/** The cache key of every validator compileWith handed out; its hash is taken when first needed. */
const validatorKeys = new WeakMap<
  ValidateFunction,
  { readonly key: string; hash: string | undefined }
>()

function validatorKeyHash(validate: ValidateFunction): string | undefined {
  const entry = validatorKeys.get(validate)
  if (!entry) return undefined
  entry.hash ??= sha256(entry.key)
  return entry.hash
}

/**
 * Whether the build already found `text` valid with this very validator: the same bytes
 * against the same compiled schema. The build checks every built-in file, so start-up need not
 * check them again; a text or schema that differs in any byte is not known, and is checked.
 */
export function acceptedAtBuild(validate: ValidateFunction, text: string): boolean {
  if (recording || !installed) return false
  const keyHash = validatorKeyHash(validate)
  return keyHash !== undefined && installed.accepted(textHash(text), keyHash)
}

/** While the build records, notes that `validate` accepted `text`; otherwise does nothing. */
export function recordAccepted(validate: ValidateFunction, text: string): void {
  if (!recording) return
  const keyHash = validatorKeyHash(validate)
  if (keyHash !== undefined) recording.accepted.add(`${textHash(text)}|${keyHash}`)
}

function lazyInstance(create: () => Ajv): () => { ajv: Ajv; ids: Map<string, string> | undefined } {
  let made: { ajv: Ajv; ids: Map<string, string> | undefined } | undefined
  return () => {
    if (!made) {
      const ajv = create()
      made = { ajv, ids: undefined }
      if (recording) {
        made.ids = new Map()
        recording.instances.push({ ajv, ids: made.ids })
      }
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
export function createSchemaCompilers(spec: {
  readonly document: JsonObject
  readonly dialect: '3.0' | '3.1'
}): Record<'bodies' | 'params', SchemaCompiler> {
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
    const instance = lazyInstance(() => {
      const ajv = createOpenApiAjv(spec.dialect, coerce)
      ajv.addSchema(converted().request, 'request.json')
      ajv.addSchema(converted().response, 'response.json')
      return ajv
    })
    return {
      compile: (schema) =>
        compileWith(
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
 * same build-time cache: for callsim's own formats, such as the scenario file schema.
 * @example compileJsonSchema(schema, { allErrors: true, strict: true })
 */
export function compileJsonSchema(schema: object, options: Options): ValidateFunction {
  const key = `json-schema|${JSON.stringify(options)}|${JSON.stringify(schema)}`
  return compileWith(
    key,
    lazyInstance(() => newAjv('07', options)),
    schema,
  )
}
