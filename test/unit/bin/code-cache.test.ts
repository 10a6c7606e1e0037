import { Script } from 'node:vm'
import { expect, test } from 'vitest'
import { codeCacheFor, digestOf, stampCodeCache, wrapBundle } from '../../../src/bin/code-cache.js'

type ModuleFunction = (exports: object, require: unknown, module: { exports: unknown }) => void

function run(script: Script): unknown {
  const module = { exports: {} as unknown }
  ;(script.runInThisContext() as ModuleFunction)(module.exports as object, undefined, module)
  return module.exports
}

/** What the build does: compile, run, then stamp V8's cache with the bundle's digest. */
function buildCache(bundle: Buffer): Buffer {
  const script = new Script(wrapBundle(bundle))
  run(script)
  return stampCodeCache(digestOf(bundle), script.createCachedData())
}

test('the wrapped bundle runs as a CommonJS module, with its shebang blanked and its lines in place', () => {
  const bundle = Buffer.from('#!/usr/bin/env node\nmodule.exports = new Error("here").stack')
  const stack = run(new Script(wrapBundle(bundle), { filename: 'bundle.cjs' }))
  expect(stack).toMatch(/^Error: here\n\s+at bundle\.cjs:2:/)
})

test('a cache stamped for a bundle is handed to V8, which accepts it', () => {
  const bundle = Buffer.from('module.exports = [1, 2, 3].map((n) => n * 2)')
  const cachedData = codeCacheFor(digestOf(bundle), buildCache(bundle))
  expect(cachedData).toBeInstanceOf(Buffer)
  const script = new Script(wrapBundle(bundle), { cachedData })
  expect(script.cachedDataRejected).toBe(false)
  expect(run(script)).toEqual([2, 4, 6])
})

test('a cache from another bundle of the same length is not used', () => {
  // V8 itself would accept it: of the source it checks only the length.
  const built = Buffer.from('module.exports = "built"')
  const current = Buffer.from('module.exports = "other"')
  expect(current.length).toBe(built.length)
  expect(codeCacheFor(digestOf(current), buildCache(built))).toBeUndefined()
})

test('a missing, empty or truncated cache file is no cache', () => {
  const bundle = Buffer.from('module.exports = 1')
  const digest = digestOf(bundle)
  expect(codeCacheFor(digest, undefined)).toBeUndefined()
  expect(codeCacheFor(digest, Buffer.alloc(0))).toBeUndefined()
  expect(codeCacheFor(digest, digest)).toBeUndefined()
  expect(codeCacheFor(digest, buildCache(bundle).subarray(0, 20))).toBeUndefined()
})
