// Injected into the CommonJS bundle by scripts/bundle.js in place of import.meta.url, which the
// code uses to find dist/ and the package root relative to itself.
/* global require, __filename */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle is CommonJS
export const __callsimImportMetaUrl = require('node:url').pathToFileURL(__filename).href
