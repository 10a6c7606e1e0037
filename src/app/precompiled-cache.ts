import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  CompileCache,
  type PrecompiledCache,
  type RecordedCache,
  type ValidateFunction,
} from '../contract/index.js'

/**
 * Where `npm run build` leaves the parsed built-in YAML and the compiled validators:
 * dist/spec-cache beside dist/app and dist/bin (the bundled bin resolves it, and dist/contract
 * for the fingerprint, from there alike). Run from src/ there is none: the tests load this one
 * explicitly (test/support/compile-cache.ts), and anything else parses and compiles.
 */
const CACHE_DIR = fileURLToPath(new URL('../spec-cache/', import.meta.url))
/** The contract code that runs beside this file: dist/contract, or src/contract run from src/. */
const CONTRACT_DIR = fileURLToPath(new URL('../contract/', import.meta.url))
/** In a checkout, the contract code as written, which tsc compiled to dist/contract. */
const CONTRACT_SOURCE_DIR = fileURLToPath(new URL('../../src/contract/', import.meta.url))
const INDEX_FILE = 'index.json'
const FORMAT = 4
const requireModule = createRequire(import.meta.url)

interface CacheIndex {
  readonly format: number
  /**
   * The fingerprint of the contract code the cache was made with, as it ran (dist/contract)
   * and, when the build ran in a checkout, as written (src/contract): the tests, which run
   * src/, use the build's cache too. Each names the same code, compiled in the same build.
   */
  readonly fingerprints: string[]
  /** sha256 of a text → file with its data as JSON. */
  readonly documents: Record<string, string>
  /** Validator key → [module file, export name]. */
  readonly validators: Record<string, [string, string]>
  /** `textHash|validatorKeyHash` of each built-in file a validator accepted at build time. */
  readonly accepted: string[]
  /** `textHash|reading` of each spec the build loaded → file with its CheckedSpec as JSON. */
  readonly checkedSpecs: Record<string, string>
}

/**
 * What else the cached data depends on: the contract code that converts and compiles (in
 * `contractDir`: by default the code that runs) and the versions of ajv, ajv-formats, re2js and
 * yaml. Any change voids it.
 */
function fingerprint(contractDir: string = CONTRACT_DIR): string {
  const hash = createHash('sha256').update(`callsim spec cache ${FORMAT}\n`)
  for (const file of readdirSync(contractDir)
    .filter((name) => /\.[jt]s$/.test(name))
    .sort()) {
    hash.update(`${file}\n`).update(readFileSync(path.join(contractDir, file)))
  }
  for (const name of ['ajv', 'ajv-formats', 'yaml']) {
    const { version } = requireModule(`${name}/package.json`) as { version: string }
    hash.update(`${name}@${version}\n`)
  }
  // re2js's `exports` hides its package.json from require; it sits above its build/ folder.
  hash.update(
    readFileSync(path.join(path.dirname(requireModule.resolve('re2js')), '../package.json')),
  )
  return hash.digest('hex')
}

/** The build-time cache if this build has one that fits this code, else undefined. */
export function loadPrecompiledCache(dir: string = CACHE_DIR): PrecompiledCache | undefined {
  let index: CacheIndex
  try {
    index = JSON.parse(readFileSync(path.join(dir, INDEX_FILE), 'utf8')) as CacheIndex
  } catch {
    return undefined
  }
  if (index.format !== FORMAT || !index.fingerprints.includes(fingerprint())) return undefined
  const modules = new Map<string, Record<string, ValidateFunction>>()
  const load = (file: string, name: string): ValidateFunction => {
    let exports = modules.get(file)
    if (!exports) {
      exports = requireModule(path.join(dir, file)) as Record<string, ValidateFunction>
      modules.set(file, exports)
    }
    const validate = exports[name]
    if (!validate)
      throw new Error(`${file} in ${dir} has no validator ${name}: run \`npm run build\` again`)
    return validate
  }
  const accepted = new Set(index.accepted)
  return {
    document(textHash) {
      const file = index.documents[textHash]
      return file === undefined ? undefined : readFileSync(path.join(dir, file), 'utf8')
    },
    validator(key) {
      const entry = index.validators[key]
      return entry && lazyValidator(() => load(...entry))
    },
    accepted(textHash, validatorKeyHash) {
      return accepted.has(`${textHash}|${validatorKeyHash}`)
    },
    checkedSpec(key) {
      const file = index.checkedSpecs[key]
      return file === undefined ? undefined : readFileSync(path.join(dir, file), 'utf8')
    },
  }
}

/**
 * A validator whose module is required on its first call, not when start-up looks it up:
 * start-up asks for every operation's validators, and requiring all of dist/spec-cache's
 * modules (~1 MB of generated code) then cost ~25 ms; a request now loads only the module it
 * uses. The callers (contract/validate.ts, the runner, the scenario loader) call it and read
 * `errors`, nothing else, so that is what it passes on: every argument and `this` (coercion of
 * a top-level value writes through the parentData of ajv's second argument), and the real
 * function's errors after every call.
 */
function lazyValidator(load: () => ValidateFunction): ValidateFunction {
  let loaded: ValidateFunction | undefined
  const validate = function (this: unknown, ...args: Parameters<ValidateFunction>): boolean {
    loaded ??= load()
    try {
      return loaded.apply(this, args)
    } finally {
      validate.errors = loaded.errors
    }
  } as ValidateFunction
  return validate
}

let processCache: CompileCache | undefined

/**
 * The process's one CompileCache, backed by this build's dist/spec-cache when it fits: every
 * simulator built in the process (the tests build hundreds) shares its compiled specs.
 */
export function processCompileCache(): CompileCache {
  processCache ??= new CompileCache({ precompiled: loadPrecompiledCache() })
  return processCache
}

/** Writes what a recording CompileCache saw (its recorded()) as files; returns what it wrote. */
export function writePrecompiledCache(
  recorded: RecordedCache,
  dir: string = CACHE_DIR,
): { documents: number; validators: number; bytes: number } {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(path.join(dir, 'documents'), { recursive: true })
  let bytes = 0
  const documents: Record<string, string> = {}
  for (const [textHash, json] of recorded.documents) {
    const file = `documents/${textHash}.json`
    writeFileSync(path.join(dir, file), json)
    documents[textHash] = file
    bytes += json.length
  }
  mkdirSync(path.join(dir, 'checked-specs'))
  const checkedSpecs: Record<string, string> = {}
  for (const [key, json] of recorded.checkedSpecs) {
    const file = `checked-specs/${key.replace('|', '.')}.json`
    writeFileSync(path.join(dir, file), json)
    checkedSpecs[key] = file
    bytes += json.length
  }
  const validators: Record<string, [string, string]> = {}
  recorded.modules.forEach((module, position) => {
    // CommonJS: ajv's standalone code requires its runtime helpers and ajv-formats' formats.
    const file = `validators-${position}.cjs`
    writeFileSync(path.join(dir, file), module.code)
    bytes += module.code.length
    for (const [name, key] of module.exports) validators[key] = [file, name]
  })
  const index: CacheIndex = {
    format: FORMAT,
    fingerprints: [
      ...new Set([
        fingerprint(),
        ...(existsSync(CONTRACT_SOURCE_DIR) ? [fingerprint(CONTRACT_SOURCE_DIR)] : []),
      ]),
    ],
    documents,
    validators,
    accepted: [...recorded.accepted],
    checkedSpecs,
  }
  writeFileSync(path.join(dir, INDEX_FILE), JSON.stringify(index))
  return {
    documents: Object.keys(documents).length,
    validators: Object.keys(validators).length,
    bytes,
  }
}
