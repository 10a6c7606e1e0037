import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { afterEach, expect, test } from 'vitest'
import { loadPrecompiledCache, writePrecompiledCache } from '../../../src/app/precompiled-cache.js'
import { CompileCache, compileJsonSchema, loadSpec } from '../../../src/contract/index.js'
import { BUILD_SPEC_CACHE } from '../../support/compile-cache.js'
import { assertBuilt } from '../../support/run-callsim.js'

const SPEC = `openapi: 3.0.3
info: { title: Ping, version: '1' }
paths:
  /ping:
    post:
      operationId: ping
      requestBody:
        content:
          application/json:
            schema: { type: object, required: [at], properties: { at: { type: string, format: date-time } } }
      responses:
        '204': { description: pong }
`

// Inside the project, so that the written .cjs files resolve ajv's runtime as dist/spec-cache does.
const CACHE_ROOT = fileURLToPath(new URL('../../../node_modules/.cache/', import.meta.url))
const dirs: string[] = []

function setup(
  task: (recording: CompileCache) => void = (recording) => {
    if (!loadSpec(SPEC, 'ping.yaml', recording).ok) throw new Error('the test spec does not load')
  },
): string {
  mkdirSync(CACHE_ROOT, { recursive: true })
  const dir = mkdtempSync(path.join(CACHE_ROOT, 'callsim-spec-cache-'))
  dirs.push(dir)
  const recording = new CompileCache({ record: true })
  task(recording)
  writePrecompiledCache(recording.recorded(), dir)
  return dir
}

/** The validators of a written cache: key → [module file, export name]. */
function validatorsOf(dir: string): [string, [string, string]][] {
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
    validators: Record<string, [string, string]>
  }
  return Object.entries(index.validators)
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

test('writes a cache that loads back with its documents and working validators', () => {
  const dir = setup()
  const cache = loadPrecompiledCache(dir)
  if (!cache) throw new Error('the cache was not accepted')
  const document = cache.document(createHash('sha256').update(SPEC).digest('hex'))
  expect(JSON.parse(document ?? '{}').data.info).toEqual({ title: 'Ping', version: '1' })
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
    validators: Record<string, unknown>
  }
  const [key] = Object.keys(index.validators)
  const validate = cache.validator(key as string)
  expect(validate?.({ at: '2026-11-23T10:00:00Z' })).toBe(true)
  expect(validate?.({ at: 'yesterday' })).toBe(false)
  expect(validate?.errors?.[0]).toMatchObject({ keyword: 'format', instancePath: '/at' })
})

test('requires a validator module at the first call of one of its validators, not when it is looked up', () => {
  const dir = setup()
  const cache = loadPrecompiledCache(dir)
  if (!cache) throw new Error('the cache was not accepted')
  const [[key, [file]]] = validatorsOf(dir) as [[string, [string, string]]]
  // The loader's require shares this cache with every other CommonJS require of the process.
  const loaded = (): boolean => path.join(dir, file) in createRequire(import.meta.url).cache
  const validate = cache.validator(key)
  if (!validate) throw new Error(`no validator for ${key}`)
  expect(loaded()).toBe(false)
  expect(validate({ at: 'yesterday' })).toBe(false)
  expect(loaded()).toBe(true)
  expect(validate.errors?.[0]).toMatchObject({ keyword: 'format', instancePath: '/at' })
  // errors follow every call, as on ajv's own function: null once the data is valid.
  expect(validate({ at: '2026-11-23T10:00:00Z' })).toBe(true)
  expect(validate.errors).toBeNull()
})

test("passes ajv's data context through, so a coercing validator replaces a top-level value in its parent", () => {
  const dir = setup((recording) =>
    compileJsonSchema({ type: 'integer' }, { coerceTypes: true }, recording),
  )
  const [[key]] = validatorsOf(dir) as [[string, unknown]]
  const validate = loadPrecompiledCache(dir)?.validator(key)
  if (!validate) throw new Error(`no validator for ${key}`)
  const query: Record<string, unknown> = { limit: '5' }
  const context = {
    instancePath: '/limit',
    parentData: query,
    parentDataProperty: 'limit',
    rootData: query,
    dynamicAnchors: {},
  }
  expect(validate(query.limit, context)).toBe(true)
  expect(query.limit).toBe(5)
  expect(validate('five', context)).toBe(false)
  expect(validate.errors?.[0]).toMatchObject({ keyword: 'type', instancePath: '/limit' })
})

test('refuses a cache written by other contract code or library versions', () => {
  const dir = setup()
  const file = path.join(dir, 'index.json')
  const index = JSON.parse(readFileSync(file, 'utf8')) as { fingerprints: string[] }
  const others = index.fingerprints.map((fingerprint) => `${fingerprint.slice(1)}0`)
  writeFileSync(file, JSON.stringify({ ...index, fingerprints: others }))
  expect(loadPrecompiledCache(dir)).toBeUndefined()
})

test('has no cache where none was built', () => {
  expect(loadPrecompiledCache(path.join(CACHE_ROOT, 'callsim-no-such-cache'))).toBeUndefined()
})

test("fits the tests' own processes too: the build's cache names the src/contract it compiled", () => {
  assertBuilt()
  // The tests run src/; their simulators load dist/spec-cache (test/support/compile-cache.ts).
  const cache = loadPrecompiledCache(BUILD_SPEC_CACHE)
  if (!cache) throw new Error('dist/spec-cache does not fit src/contract: run `npm run build`')
  const spec = readFileSync(
    fileURLToPath(new URL('../../../spec/camara/webrtc-call-handling.yaml', import.meta.url)),
    'utf8',
  )
  expect(cache.document(createHash('sha256').update(spec).digest('hex'))).toBeDefined()
})
