import { fileURLToPath } from 'node:url'
import { loadPrecompiledCache } from '../../src/app/precompiled-cache.js'
import { CompileCache } from '../../src/contract/index.js'

/** What `npm run build` (and so `npm test`, before vitest) writes: the bin's spec cache. */
export const BUILD_SPEC_CACHE = fileURLToPath(new URL('../../dist/spec-cache/', import.meta.url))

let cache: CompileCache | undefined

/**
 * The CompileCache every simulator, proxy and in-process command of this test process shares,
 * backed by the build's dist/spec-cache as the bin's is: the built-in specs and validators load
 * instead of compiling again in every test process. The cache names the src/contract it was
 * built from; after an edit there (or with no build) it does not fit, and the specs compile
 * here, as a user's own files do.
 */
export function testCompileCache(): CompileCache {
  cache ??= new CompileCache({ precompiled: loadPrecompiledCache(BUILD_SPEC_CACHE) })
  return cache
}
