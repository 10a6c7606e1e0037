#!/usr/bin/env node
// The `callsim` bin. It runs the bundled CLI (dist/bin/callsim-bundle.cjs, made by
// scripts/bundle.js) from the V8 code cache that the build wrote beside it, so a start
// deserialises bytecode instead of parsing and compiling 1.2 MB of JavaScript. Without a
// usable cache it compiles the bundle as usual. docs/decisions/007-bin-code-cache.md says why.
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'
import { codeCacheFor, digestOf, stampCodeCache, wrapBundle } from './code-cache.js'

const BUNDLE_FILE = fileURLToPath(new URL('./callsim-bundle.cjs', import.meta.url))
const CODE_CACHE_FILE = `${BUNDLE_FILE}.cache`

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch {
    return undefined
  }
}

/** The signature of a CommonJS module's body once wrapped (see wrapBundle). */
type ModuleFunction = (
  exports: object,
  require: NodeJS.Require,
  module: { exports: object },
  filename: string,
  dirname: string,
) => void

function runFromCodeCache(): void {
  const bundle = readFileSync(BUNDLE_FILE)
  const digest = digestOf(bundle)
  const cachedData =
    process.env.CALLSIM_CODE_CACHE === 'off'
      ? undefined
      : codeCacheFor(digest, readIfPresent(CODE_CACHE_FILE))
  const script = new Script(wrapBundle(bundle), { filename: BUNDLE_FILE, cachedData })
  // scripts/write-code-cache.js sets this during the build. Written at exit, the cache also
  // holds the bytecode of every function the run compiled, not just the top level.
  if (process.env.CALLSIM_CODE_CACHE === 'write') {
    process.once('exit', () =>
      writeFileSync(CODE_CACHE_FILE, stampCodeCache(digest, script.createCachedData())),
    )
  }
  const cli = { exports: {} }
  ;(script.runInThisContext() as ModuleFunction).call(
    cli.exports,
    cli.exports,
    createRequire(BUNDLE_FILE),
    cli,
    BUNDLE_FILE,
    dirname(BUNDLE_FILE),
  )
}

// node:vm in Node 20 ignores source maps, so `node --enable-source-maps` gets Node's own loader,
// which maps stack traces back to src/.
if (process.sourceMapsEnabled) createRequire(import.meta.url)(BUNDLE_FILE)
else runFromCodeCache()
