import type { RequestHandler } from 'express'

/** A static file of a page callsim serves beside its API faces. */
interface PageAsset {
  readonly contentType: string
  readonly body: string | Buffer
}

/** Pages served under `prefix` (the web console): no API contract, no journal entry. */
export interface Pages {
  readonly prefix: string
  /** The asset at `path` (below the prefix, starting with `/`), or undefined when none. */
  asset(path: string): PageAsset | undefined
  /** Headers every asset is sent with (content security policy and the like). */
  readonly headers: Readonly<Record<string, string>>
}

/** Answers GET and HEAD under the pages' prefix; every other path goes on to the API faces. */
export function servePages(pages: Pages): RequestHandler {
  const { prefix } = pages
  const below = `${prefix}/`
  return (req, res, next) => {
    const path = req.path
    if (path !== prefix && !path.startsWith(below)) {
      next()
      return
    }
    const plain = (status: number, text: string): void => {
      res.statusCode = status
      res.setHeader('content-type', 'text/plain; charset=utf-8')
      res.end(text)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD')
      plain(405, `${req.method} is not allowed on ${path}; the console's pages answer GET.\n`)
      return
    }
    const asset = pages.asset(path.slice(prefix.length) || '/')
    if (!asset) {
      plain(404, `No console page at ${path}; open ${prefix}/.\n`)
      return
    }
    for (const [name, value] of Object.entries(pages.headers)) res.setHeader(name, value)
    res.statusCode = 200
    res.setHeader('content-type', asset.contentType)
    res.end(req.method === 'HEAD' ? undefined : asset.body)
  }
}
