import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'
import type { Ajv, ValidateFunction } from 'ajv'
import type { SpecProblem } from './errors.js'

/**
 * What `npm run build` made from a default start-up (dist/spec-cache, read by app/): the YAML it
 * parsed (with the lines it looked up) and the validators it compiled, as ajv standalone code of
 * the very same schemas. A lookup that misses falls back to parsing and compiling, so a stale or
 * missing cache costs time, never correctness.
 */
export interface PrecompiledCache {
  /** JSON text `{"data": …, "lines": {pointer: line}}` for the sha256 of a YAML or JSON text. */
  document(textHash: string): string | undefined
  /** A validator by its key (see CompileCache.validator). */
  validator(key: string): ValidateFunction | undefined
  /** Whether the build found the text with this hash valid against the validator with this key hash. */
  accepted(textHash: string, validatorKeyHash: string): boolean
  /** JSON of a CheckedSpec, by `textHash|reading` (see CompileCache.checkedSpec). */
  checkedSpec(key: string): string | undefined
}

/**
 * What loading a spec's bytes with one reading found at build time: the document as the defect
 * review left it and every warning of the load (review, `$ref` and pattern checks passed,
 * examples checked). Deterministic in the bytes, the reading and the contract code (which the
 * cache's fingerprint covers), so start-up takes it instead of checking the same bytes again.
 */
export interface CheckedSpec {
  readonly document: unknown
  /** Without their source: that is the caller's name for the file. */
  readonly warnings: readonly Omit<SpecProblem, 'source'>[]
}

/** What a recording cache produced: documents by text hash, and one standalone module per ajv. */
export interface RecordedCache {
  /** Text hash → JSON text of a cached document: `{"data": …, "lines": {pointer: line}}`. */
  readonly documents: ReadonlyMap<string, string>
  /** CommonJS source that exports validators by name, and the validator key of each name. */
  readonly modules: readonly {
    readonly code: string
    readonly exports: ReadonlyMap<string, string>
  }[]
  /** `textHash|validatorKeyHash` of every text a validator accepted. */
  readonly accepted: ReadonlySet<string>
  /** `textHash|reading` → JSON of the CheckedSpec of every spec loaded. */
  readonly checkedSpecs: ReadonlyMap<string, string>
}

/** A parsed text as the cache hands it out: fresh data (callers may mutate it) and its lines. */
export interface CachedDocument {
  readonly data: unknown
  /** The line of a pointer (null: none) if the cache knows it; undefined if only a parse can tell. */
  lineOf(pointer: string): number | null | undefined
}

/** An ajv instance and, while recording, the ids its schemas were registered under. */
export interface AjvInstance {
  readonly ajv: Ajv
  /** Validator key → schema id in `ajv`; present only on a recording cache. */
  readonly ids: Map<string, string> | undefined
}

// ajv's standalone code generator is loaded only by the build, which records.
const requireModule = createRequire(import.meta.url)

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

// A watched scenario folder parses each edit anew: past this many texts the oldest are dropped.
const MAX_DOCUMENTS = 512

/**
 * Everything the contract layer compiles, kept so that it is compiled once: specs by source and
 * text, validators by the key that determines their code, parsed documents and the texts a
 * validator already accepted. It is the explicit dependency of loadSpec, the schema compilers
 * and the scenario loader, with one code path for every use:
 * - app/ keeps one per process, backed by the build's dist/spec-cache when it fits, so that
 *   `callsim serve` neither parses the built-in YAML nor runs ajv's code generator, and the
 *   tests' hundreds of simulators compile each spec once per process;
 * - `CompileCache.recording()` is what the build uses to make dist/spec-cache: it also keeps
 *   the source of every validator, to export it as ajv standalone code (see recorded()).
 *
 * What it hands out is shared: compiled specs have frozen documents, and validators are pure
 * functions of their key.
 */
export class CompileCache {
  readonly #precompiled: PrecompiledCache | undefined
  readonly #recording: Recording | undefined
  readonly #specs = new Map<string, unknown>()
  readonly #validators = new Map<string, ValidateFunction>()
  readonly #documents = new Map<string, ParsedDocument>()
  readonly #accepted = new Set<string>()
  /** The key of every validator handed out; its hash is taken when first needed. */
  readonly #validatorKeys = new WeakMap<
    ValidateFunction,
    { readonly key: string; hash: string | undefined }
  >()
  // A file's text is hashed to find its parsed document and then again to ask whether it was
  // accepted; the last text and its hash answer the second time.
  #lastText: string | undefined
  #lastTextHash = ''

  /** A cache that starts empty, or from what a build made (dist/spec-cache). */
  constructor(
    options: { readonly precompiled?: PrecompiledCache; readonly record?: boolean } = {},
  ) {
    this.#precompiled = options.precompiled
    this.#recording = options.record
      ? { documents: new Map(), instances: [], checkedSpecs: new Map() }
      : undefined
  }

  /** Whether ajv instances must keep their validators' source, for standalone export. */
  get keepsSource(): boolean {
    return this.#recording !== undefined
  }

  /** The sha256 of a source text: the key of its document and of its acceptance. */
  textHash(text: string): string {
    if (text !== this.#lastText) {
      this.#lastText = text
      this.#lastTextHash = sha256(text)
    }
    return this.#lastTextHash
  }

  /**
   * The value `load` makes for this source and text, made once: a compiled spec, whose
   * document `freeze` makes read-only before it is shared.
   */
  spec<T>(source: string, text: string, load: () => T, freeze: (value: T) => void): T {
    const key = `${source}\0${this.textHash(text)}`
    if (this.#specs.has(key)) return this.#specs.get(key) as T
    const value = load()
    freeze(value)
    this.#specs.set(key, value)
    return value
  }

  /** A parsed text, if this process or the build parsed the same bytes before. */
  document(text: string): CachedDocument | undefined {
    const hash = this.textHash(text)
    const parsed = this.#documents.get(hash)
    if (parsed)
      return { data: JSON.parse(parsed.json), lineOf: (pointer) => parsed.lineOf(pointer) ?? null }
    const json = this.#recording ? undefined : this.#precompiled?.document(hash)
    if (json === undefined) return undefined
    const { data, lines } = JSON.parse(json) as {
      data: unknown
      lines: Record<string, number | null>
    }
    return {
      data,
      lineOf: (pointer) => (Object.hasOwn(lines, pointer) ? lines[pointer] : undefined),
    }
  }

  /**
   * Keeps a parsed text, if it survives a JSON round trip unchanged (YAML can hold what JSON
   * cannot, such as .inf; such a text is simply parsed every time). Returns the lineOf to use
   * from now on: while recording, it notes each line looked up, so that start-up's own lookups
   * are in the build's cache too.
   */
  keepDocument(
    text: string,
    data: unknown,
    lineOf: (pointer: string) => number | undefined,
  ): (pointer: string) => number | undefined {
    const json = JSON.stringify(data)
    if (json === undefined || !isDeepStrictEqual(JSON.parse(json), data)) return lineOf
    const hash = this.textHash(text)
    if (this.#documents.size >= MAX_DOCUMENTS) {
      this.#documents.delete(this.#documents.keys().next().value as string)
    }
    this.#documents.set(hash, { json, lineOf })
    if (!this.#recording) return lineOf
    // No prototype: a pointer such as /__proto__ is just a key here.
    const recorded = { json, lines: Object.create(null) as Record<string, number | null> }
    this.#recording.documents.set(hash, recorded)
    return (pointer) => {
      const line = lineOf(pointer)
      recorded.lines[pointer] = line ?? null
      return line
    }
  }

  /**
   * The validator for `key` (which must determine its code: the ajv flavour, the document and
   * the schema): compiled before in this process, else from the build, else compiled now with
   * the ajv `instance()` gives (registered under an id while recording).
   */
  validator(key: string, instance: () => AjvInstance, schema: object): ValidateFunction {
    let validate = this.#validators.get(key)
    if (validate) return validate
    validate = (this.#recording ? undefined : this.#precompiled?.validator(key)) ?? compile()
    this.#validators.set(key, validate)
    this.#validatorKeys.set(validate, { key, hash: undefined })
    return validate

    function compile(): ValidateFunction {
      const { ajv, ids } = instance()
      if (!ids) return ajv.compile(schema)
      const id = `v${ids.size}`
      ajv.addSchema(schema, id)
      ids.set(key, id)
      const compiled = ajv.getSchema(id)
      if (!compiled) throw new Error(`ajv lost the schema it was given as ${id}`)
      return compiled
    }
  }

  /**
   * What the build found loading a spec with these very bytes and this reading (CheckedSpec),
   * or undefined: then the spec is parsed, checked and reviewed in full, as any user's file
   * is. A recording cache never answers, so the build checks everything itself.
   */
  checkedSpec(text: string, reading: string): CheckedSpec | undefined {
    if (this.#recording) return undefined
    const json = this.#precompiled?.checkedSpec(`${this.textHash(text)}|${reading}`)
    return json === undefined ? undefined : (JSON.parse(json) as CheckedSpec)
  }

  /** While recording, keeps what loading a spec found (see checkedSpec), if JSON can hold it. */
  keepCheckedSpec(text: string, reading: string, checked: CheckedSpec): void {
    if (!this.#recording) return
    const json = JSON.stringify(checked)
    const { document } = JSON.parse(json) as CheckedSpec
    if (!isDeepStrictEqual(document, checked.document)) return
    this.#recording.checkedSpecs.set(`${this.textHash(text)}|${reading}`, json)
  }

  /** Registers an ajv instance whose validators recorded() exports; only while recording. */
  adopt(instance: AjvInstance): void {
    this.#recording?.instances.push(instance)
  }

  /**
   * Whether `text` was already found valid with this very validator, in this process or by the
   * build: the same bytes against the same compiled schema. A text or schema that differs in
   * any byte is not known, and is checked.
   */
  accepted(validate: ValidateFunction, text: string): boolean {
    const keyHash = this.#validatorKeyHash(validate)
    if (keyHash === undefined) return false
    const entry = `${this.textHash(text)}|${keyHash}`
    return (
      this.#accepted.has(entry) ||
      (!this.#recording && this.#precompiled?.accepted(this.textHash(text), keyHash) === true)
    )
  }

  /** Notes that `validate` accepted `text` (see accepted). */
  accept(validate: ValidateFunction, text: string): void {
    const keyHash = this.#validatorKeyHash(validate)
    if (keyHash !== undefined) this.#accepted.add(`${this.textHash(text)}|${keyHash}`)
  }

  #validatorKeyHash(validate: ValidateFunction): string | undefined {
    const entry = this.#validatorKeys.get(validate)
    if (!entry) return undefined
    entry.hash ??= sha256(entry.key)
    return entry.hash
  }

  /** What a recording cache saw, with its validators turned into ajv standalone code. */
  recorded(): RecordedCache {
    if (!this.#recording) throw new Error('recorded() needs a cache made with { record: true }')
    const standaloneCode = requireModule('ajv/dist/standalone') as (
      ajv: Ajv,
      refs: Record<string, string>,
    ) => string
    const modules = this.#recording.instances
      .filter(({ ids }) => ids !== undefined && ids.size > 0)
      .map(({ ajv, ids = new Map<string, string>() }) => ({
        code: standaloneCode(ajv, Object.fromEntries([...ids.values()].map((id) => [id, id]))),
        exports: new Map([...ids].map(([key, id]) => [id, key])),
      }))
    const documents = new Map(
      [...this.#recording.documents].map(([hash, { json, lines }]) => [
        hash,
        `{"data":${json},"lines":${JSON.stringify(lines)}}`,
      ]),
    )
    return {
      documents,
      modules,
      accepted: new Set(this.#accepted),
      checkedSpecs: new Map(this.#recording.checkedSpecs),
    }
  }
}

interface Recording {
  /** Text hash → the data as JSON (taken at once: consumers may mutate it) and the lines asked for. */
  readonly documents: Map<string, { json: string; lines: Record<string, number | null> }>
  readonly instances: AjvInstance[]
  readonly checkedSpecs: Map<string, string>
}

interface ParsedDocument {
  readonly json: string
  readonly lineOf: (pointer: string) => number | undefined
}
