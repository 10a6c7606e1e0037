import type { IncomingMessage } from 'node:http'
import { gunzipSync, inflateSync, brotliDecompressSync } from 'node:zlib'
import { MAX_JSON_DEPTH, exceedsJsonDepth, mediaTypeOf } from '../contract/index.js'

/** What reading a request body came to: the bytes, or a body over the limit (not read). */
export type BodyRead =
  | { readonly kind: 'read'; readonly body: Buffer | undefined }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'aborted' }

/**
 * Reads a request body whole, up to `limitBytes`. The proxy needs it whole: to validate it, to
 * record it and to rewrite a sink in it before it goes upstream. An API request is a few KiB.
 */
export function readRequestBody(req: IncomingMessage, limitBytes: number): Promise<BodyRead> {
  const declared = req.headers['content-length']
  const declaredBytes = declared === undefined ? Number.NaN : Number(declared)
  if (!(declaredBytes > 0) && req.headers['transfer-encoding'] === undefined)
    return Promise.resolve({ kind: 'read', body: undefined })
  if (declaredBytes > limitBytes) return Promise.resolve({ kind: 'too-large' })
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const finish = (outcome: BodyRead): void => {
      if (done) return
      done = true
      req.off('data', onData)
      resolve(outcome)
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limitBytes) {
        chunks.length = 0
        finish({ kind: 'too-large' })
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.once('end', () =>
      finish({ kind: 'read', body: size === 0 ? undefined : Buffer.concat(chunks, size) }),
    )
    req.once('error', () => finish({ kind: 'aborted' }))
    req.once('close', () => finish({ kind: 'aborted' }))
  })
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const mediaType = mediaTypeOf(contentType)
  return (
    mediaType === 'application/json' ||
    (mediaType !== undefined && /^application\/[\w.-]+\+json$/.test(mediaType))
  )
}

/**
 * A body as validation and recordings see it: JSON parsed when its type says JSON, otherwise
 * its text; `problem` says why a body that claims JSON could not be read as such.
 */
export type ParsedBody =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'unreadable'; readonly problem: string; readonly text: string }

/** Largest decoded body the proxy inflates for validation: a zip bomb must not fill memory. */
const MAX_DECODED_BYTES = 16 * 1024 * 1024

function decode(raw: Buffer, encoding: string | undefined): Buffer {
  const options = { maxOutputLength: MAX_DECODED_BYTES }
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipSync(raw, options)
    case 'deflate':
      return inflateSync(raw, options)
    case 'br':
      return brotliDecompressSync(raw, options)
    default:
      return raw
  }
}

/** Parses a body that arrived with these content type and encoding headers; it never throws. */
export function parseBody(
  raw: Buffer | undefined,
  contentType: string | undefined,
  contentEncoding: string | undefined,
): ParsedBody {
  if (raw === undefined || raw.length === 0) return { kind: 'none' }
  let text: string
  try {
    text = decode(raw, contentEncoding).toString('utf8')
  } catch (error) {
    return {
      kind: 'unreadable',
      problem: `the body cannot be decoded as Content-Encoding ${contentEncoding ?? ''}: ${error instanceof Error ? error.message : String(error)}`,
      text: '',
    }
  }
  if (!isJsonMediaType(contentType)) return { kind: 'text', value: text }
  // Deeper than callsim validates: ajv's recursion would run out of stack on it.
  if (exceedsJsonDepth(text, MAX_JSON_DEPTH))
    return {
      kind: 'unreadable',
      problem: `the body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels`,
      text,
    }
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown }
  } catch (error) {
    return {
      kind: 'unreadable',
      problem: `the body is not valid JSON although Content-Type says ${contentType ?? ''} (${error instanceof Error ? error.message : String(error)})`,
      text,
    }
  }
}

/** The JSON value of a parsed body, for recordings; undefined when there is none. */
export function jsonOf(parsed: ParsedBody): unknown {
  return parsed.kind === 'json' ? parsed.value : undefined
}
