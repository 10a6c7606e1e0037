import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, test } from 'vitest'
import { loadPrecompiledCache, writePrecompiledCache } from '../../../src/app/precompiled-cache.js'
import { loadSpec, recordPrecompiledCache } from '../../../src/contract/index.js'

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

function setup(): string {
  mkdirSync(CACHE_ROOT, { recursive: true })
  const dir = mkdtempSync(path.join(CACHE_ROOT, 'callsim-spec-cache-'))
  dirs.push(dir)
  const recorded = recordPrecompiledCache(() => {
    if (!loadSpec(SPEC, 'ping.yaml').ok) throw new Error('the test spec does not load')
  })
  writePrecompiledCache(recorded, dir)
  return dir
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
  const index = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as { validators: Record<string, unknown> }
  const [key] = Object.keys(index.validators)
  const validate = cache.validator(key as string)
  expect(validate?.({ at: '2026-11-23T10:00:00Z' })).toBe(true)
  expect(validate?.({ at: 'yesterday' })).toBe(false)
  expect(validate?.errors?.[0]).toMatchObject({ keyword: 'format', instancePath: '/at' })
})

test('refuses a cache written by other contract code or library versions', () => {
  const dir = setup()
  const file = path.join(dir, 'index.json')
  const index = JSON.parse(readFileSync(file, 'utf8')) as { fingerprint: string }
  writeFileSync(file, JSON.stringify({ ...index, fingerprint: `${index.fingerprint.slice(1)}0` }))
  expect(loadPrecompiledCache(dir)).toBeUndefined()
})

test('has no cache where none was built', () => {
  expect(loadPrecompiledCache(path.join(CACHE_ROOT, 'callsim-no-such-cache'))).toBeUndefined()
})
