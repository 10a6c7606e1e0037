import { readFileSync } from 'node:fs'
import path from 'node:path'
import { Script } from 'node:vm'
import { afterEach, beforeAll, expect, test, vi } from 'vitest'
import { codeCacheFor, digestOf, wrapBundle } from '../../src/bin/code-cache.js'
import { assertBuilt, runCallsim, stopCallsimRuns } from '../support/run-callsim.js'

// Each run starts node, which loads every built-in spec; a busy 2-core machine needs seconds.
vi.setConfig({ testTimeout: 60_000 })

const BUNDLE = path.resolve('dist/bin/callsim-bundle.cjs')

afterEach(stopCallsimRuns)
beforeAll(assertBuilt)

test('the build leaves a code cache for the exact bundle it made, and V8 accepts it', () => {
  const bundle = readFileSync(BUNDLE)
  const cachedData = codeCacheFor(digestOf(bundle), readFileSync(`${BUNDLE}.cache`))
  expect(cachedData).toBeInstanceOf(Buffer)
  // Compiled only, never run: this is the bundle of the CLI.
  expect(new Script(wrapBundle(bundle), { filename: BUNDLE, cachedData }).cachedDataRejected).toBe(
    false,
  )
})

test('the bin answers the same from the code cache, without it and with source maps on', async () => {
  const withCache = await runCallsim(['scenarios'])
  expect(withCache.stderr).toBe('')
  expect(withCache.code).toBe(0)
  expect(withCache.stdout).toContain('busy-callee  (scenarios/lifecycle/busy-callee.yaml)')
  const withoutCache = await runCallsim(['scenarios'], { env: { CALLSIM_CODE_CACHE: 'off' } })
  const withSourceMaps = await runCallsim(['scenarios'], {
    env: { NODE_OPTIONS: '--enable-source-maps' },
  })
  expect(withoutCache).toEqual(withCache)
  expect(withSourceMaps).toEqual(withCache)
})
