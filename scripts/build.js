// `npm run build` (and so `npm start`, `npm test` and `npm run bench`): compiles src/ to dist/,
// then makes what the bin starts from, each step only when its output is older than one of its
// inputs. Nothing changed since the last build: the whole build is a few stat calls and tsc's
// own up-to-date check, instead of ~7 s. `npm run build -- --force` rebuilds everything.
import { execFileSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const force = process.argv.includes('--force')

/**
 * The newest modification time under each path (files, or folders walked recursively).
 * @param {string[]} paths
 * @param {(file: string) => boolean} [skip]
 */
function newest(paths, skip = () => false) {
  let latest = 0
  /** @param {string} file */
  const visit = (file) => {
    if (skip(file)) return
    let stats
    try {
      stats = statSync(file)
    } catch {
      return
    }
    if (stats.isDirectory()) {
      for (const entry of readdirSync(file)) visit(path.join(file, entry))
    } else {
      latest = Math.max(latest, stats.mtimeMs)
    }
  }
  for (const entry of paths) visit(path.join(ROOT, entry))
  return latest
}

/** When a file was last written, or 0 if it does not exist. */
function writtenAt(file) {
  try {
    return statSync(path.join(ROOT, file)).mtimeMs
  } catch {
    return 0
  }
}

function run(args) {
  execFileSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' })
}

/**
 * Runs `args` unless `output` is newer than every input; says which it did.
 * @param {string} name
 * @param {{ inputs: string[], skip?: (file: string) => boolean, output: string, args: string[] }} work
 */
function step(name, { inputs, skip, output, args }) {
  if (!force && writtenAt(output) > newest(inputs, skip)) {
    process.stdout.write(`${name}: up to date\n`)
    return
  }
  run(args)
}

// tsc's build mode keeps dist/tsconfig.build.tsbuildinfo and rewrites only what changed.
run([
  path.join(ROOT, 'node_modules/typescript/bin/tsc'),
  '--build',
  'tsconfig.build.json',
  ...(force ? ['--force'] : []),
])

// The bundle and its map are the bundle step's output, not an input of anything.
const isBundle = (file) => path.basename(file).startsWith('callsim-bundle.')

// The parsed built-in files and compiled validators depend on the compiled contract and app
// code and on every built-in text (docs/decisions/005-build-time-validator-cache.md).
step('spec cache', {
  inputs: ['dist/contract', 'dist/app', 'spec', 'scenarios', 'config', 'package-lock.json'],
  output: 'dist/spec-cache/index.json',
  args: ['dist/app/build-spec-cache.js'],
})

step('bundle', {
  inputs: ['dist', 'scripts/bundle.js', 'scripts/import-meta-url.js', 'package-lock.json'],
  skip: (file) =>
    isBundle(file) ||
    file.includes(`${path.sep}spec-cache`) ||
    file.includes(`${path.sep}console-page`),
  output: 'dist/bin/callsim-bundle.cjs',
  args: ['scripts/bundle.js'],
})

// The web console's page (src/console/page: TypeScript, HTML, CSS), served at /_callsim/ui.
step('console', {
  inputs: ['src/console/page', 'scripts/build-console.js', 'package-lock.json'],
  output: 'dist/console-page/console.js',
  args: ['scripts/build-console.js'],
})
