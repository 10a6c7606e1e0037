/** Where callsim serves its web console. */
export const CONSOLE_PATH = '/_callsim/ui'

/** The files `npm run build` writes to dist/console-page (scripts/build-console.js). */
export const CONSOLE_FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
}

export interface ConsoleAsset {
  readonly contentType: string
  readonly body: string | Buffer
}

/**
 * The console's pages: the page, its script and its style, all from the package, so the
 * console works offline. The policy lets the page load only its own files and talk only to
 * this callsim; nothing inline runs, and no other site may frame it.
 */
export function createConsolePages(read: (file: string) => string | Buffer | undefined) {
  return {
    prefix: CONSOLE_PATH,
    headers: {
      'content-security-policy':
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    },
    asset(path: string): ConsoleAsset | undefined {
      const file = path === '/' ? 'index.html' : path.slice(1)
      const contentType = Object.hasOwn(CONSOLE_FILES, file) ? CONSOLE_FILES[file] : undefined
      if (contentType === undefined) return undefined
      const body = read(file)
      return body === undefined ? undefined : { contentType, body }
    },
  }
}
