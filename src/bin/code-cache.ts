import { createHash } from 'node:crypto'

/**
 * The bytes before V8's own data in a code cache file: the SHA-256 of the bundle it was made
 * from. V8 checks its version and flags against a cache, but of the source only its length,
 * so a cache left from another build of the same length would run that build's bytecode.
 */
const DIGEST_BYTES = 32

export function digestOf(bundle: Uint8Array): Buffer {
  return createHash('sha256').update(bundle).digest()
}

/** A cache file's content: the bundle's digest, then what V8 produced. */
export function stampCodeCache(bundleDigest: Buffer, v8Data: Buffer): Buffer {
  return Buffer.concat([bundleDigest, v8Data])
}

/** V8's data from a cache file, if the file was made from exactly this bundle. */
export function codeCacheFor(bundleDigest: Buffer, stored: Buffer | undefined): Buffer | undefined {
  if (stored === undefined || stored.length <= DIGEST_BYTES) return undefined
  return stored.subarray(0, DIGEST_BYTES).equals(bundleDigest)
    ? stored.subarray(DIGEST_BYTES)
    : undefined
}

/**
 * The bundle as the body of a CommonJS module function, as Node's own loader wraps it. The
 * shebang that esbuild keeps from the entry is blanked, not removed, so lines stay where the
 * source map says they are.
 */
export function wrapBundle(bundle: Buffer): string {
  return `(function (exports, require, module, __filename, __dirname) {${bundle.toString('utf8').replace(/^#!.*/, '')}\n})`
}
