// Build step (`npm run build`): compiles the web console's TypeScript (src/console/page) into
// one script, dist/console/console.js, and copies its page and style beside it. The console
// needs no build step of its user and no network: callsim serves these files itself.
import { copyFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const PAGE = 'src/console/page'
const OUT = 'dist/console-page'

mkdirSync(new URL(`../${OUT}`, import.meta.url), { recursive: true })
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: [`${PAGE}/main.ts`],
  outfile: `${OUT}/console.js`,
  bundle: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  metafile: true,
  logLevel: 'warning',
})
for (const file of ['index.html', 'console.css']) {
  copyFileSync(
    new URL(`../${PAGE}/${file}`, import.meta.url),
    new URL(`../${OUT}/${file}`, import.meta.url),
  )
}
const bytes = Object.values(result.metafile.outputs).reduce((sum, output) => sum + output.bytes, 0)
process.stdout.write(`console: dist/console-page (${Math.round(bytes / 1024)} KiB of script)\n`)
