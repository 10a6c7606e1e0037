import type { Request, Response } from 'express'
import type { Face } from '../apis/index.js'
import { yamlLibrary } from '../contract/index.js'
import type { Journal } from './journal.js'
import type { RequestContext } from './request-context.js'
import { toJournalEntry } from './send-reply.js'

/** Where every face serves its own spec, below its base path, and as what. */
const SPEC_DOCUMENTS: Readonly<Record<string, 'yaml' | 'json'>> = {
  '/openapi.yaml': 'yaml',
  '/openapi.json': 'json',
}

const CONTENT_TYPES = { yaml: 'application/yaml', json: 'application/json' } as const

/** Answers `GET <base>/openapi.yaml` or `.json` if the request is one; false otherwise. */
export type ServeSpecDocument = (req: Request, res: Response, face: Face, rest: string) => boolean

/**
 * Serves each face's spec as the file it validates against, so a client can be generated from
 * a running callsim: `openapi.yaml` is the file's own text (a JSON file is YAML too), and
 * `openapi.json` the same document as JSON (the text itself when the file is JSON).
 * `specText` gives the text a face was loaded from, `--spec` replacements included.
 */
export function createSpecDocuments(
  specText: (face: Face) => string | undefined,
  journal: Journal,
  now: () => number,
): ServeSpecDocument {
  const asJson = new WeakMap<Face, string>()
  const documentOf = (face: Face, format: 'yaml' | 'json'): string | undefined => {
    const text = specText(face)
    if (text === undefined || format === 'yaml') return text
    let json = asJson.get(face)
    if (json === undefined) {
      json = text.trimStart().startsWith('{')
        ? text
        : // The file's own text, not the loaded document: that one may carry repaired defects.
          `${JSON.stringify(yamlLibrary().parse(text), null, 2)}\n`
      asJson.set(face, json)
    }
    return json
  }
  return (req, res, face, rest) => {
    const format = SPEC_DOCUMENTS[rest]
    if (format === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false
    const document = documentOf(face, format)
    if (document === undefined) return false
    const context = res.locals.callsim as RequestContext
    if (context.correlator !== undefined) res.setHeader('x-correlator', context.correlator)
    res.statusCode = 200
    res.setHeader('content-type', `${CONTENT_TYPES[format]}; charset=utf-8`)
    res.end(req.method === 'HEAD' ? undefined : document)
    journal.record(toJournalEntry(req, context, 200, [], now))
    return true
  }
}
