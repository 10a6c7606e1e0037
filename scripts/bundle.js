// Build step (`npm run build` runs it after tsc and the spec cache): bundles the CLI that tsc
// wrote to dist/cli/index.js, with express, commander, faker, jose and the rest, into the one
// CommonJS file dist/bin/callsim-bundle.cjs that the `callsim` bin (dist/bin/callsim.js, from
// src/bin/callsim.ts) runs. Node's ESM loader resolves, reads and compiles each of the ~300
// modules separately, which cost ~180 ms at every start; one file costs a fraction of that.
// docs/performance.md has the figures.
import { chmodSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
// Exactly one folder below dist/, as dist/cli and dist/app are: the code finds dist/spec-cache,
// dist/contract and the package root relative to its own import.meta.url.
const OUTFILE = 'dist/bin/callsim-bundle.cjs'
const BIN = 'dist/bin/callsim.js'

// express/lib/express.js loads body-parser only to offer express.json() and its siblings, which
// callsim never calls: it reads bodies itself (src/http/middleware/parse-body.ts). Bundled,
// body-parser brings iconv-lite's encoding tables: ~500 KiB, 30 % of the file, which V8 would
// compile although no code runs them. Express gets a stand-in instead, whose parsers load the
// real body-parser from node_modules on first use, so express.json() still works if called.
const lazyBodyParser = {
  name: 'lazy-body-parser',
  setup(build) {
    build.onResolve({ filter: /^body-parser$/ }, ({ importer }) =>
      /express[\\/]lib[\\/]express\.js$/.test(importer)
        ? { path: 'body-parser', namespace: 'lazy-body-parser' }
        : { path: 'body-parser', external: true },
    )
    build.onLoad({ filter: /.*/, namespace: 'lazy-body-parser' }, () => ({
      contents: [
        'let bodyParser',
        "for (const name of ['json', 'raw', 'text', 'urlencoded']) {",
        "  exports[name] = (...options) => (bodyParser ??= require('body-parser'))[name](...options)",
        '}',
      ].join('\n'),
      loader: 'js',
    }))
  },
}

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: ['dist/cli/index.js'],
  outfile: OUTFILE,
  bundle: true,
  platform: 'node',
  // CommonJS: the CLI's dependencies are mostly CommonJS, and bundled as such need no shim
  // for require(); the one thing CommonJS lacks, import.meta.url, is injected below.
  format: 'cjs',
  target: 'node20',
  // A CommonJS file has no import.meta; this is the bundle's own file URL instead.
  inject: ['scripts/import-meta-url.js'],
  define: { 'import.meta.url': '__callsimImportMetaUrl' },
  // Size costs time at every start: V8 reads and parses all of it. Without whitespace and with
  // shorter syntax it is ~20 % smaller. Names are kept, so stack traces and CPU profiles still name functions.
  minifyWhitespace: true,
  minifySyntax: true,
  // Composed with tsc's maps, so `node --enable-source-maps` still names src/ lines.
  sourcemap: true,
  // Not bundled, on purpose: what the code loads through createRequire(import.meta.url)
  // (ajv, ajv-formats, yaml, pino and dist/spec-cache/*.cjs) is not an import esbuild follows,
  // so it stays in node_modules and is loaded only when a run needs it.
  plugins: [lazyBodyParser],
  logLevel: 'warning',
  metafile: true,
})

// A shebang is not enough to run ./dist/bin/callsim.js directly; npm's bin link needs no help.
chmodSync(new URL(`../${BIN}`, import.meta.url), 0o755)
const bytes = result.metafile.outputs[OUTFILE]?.bytes ?? 0
const inputs = Object.keys(result.metafile.inputs).length
process.stdout.write(`bundle: ${inputs} modules in ${OUTFILE} (${Math.round(bytes / 1024)} KiB)\n`)
