// `npm run check`, the gates `npm test` runs before vitest: formatting, types and lint, and
// unused exports, side by side (CONTRIBUTING.md "The gates"). Each gate is its own process; their outputs are kept
// apart and printed whole as each gate ends, and the check fails if any gate fails.
//
// The type-checks and the lint share programs (scripts/types-and-lint.js). The projects are
// split in two processes so that the two cores of a small machine are both busy: the largest
// project (src/ and test/) alone, and the three small ones beside Prettier.
import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const TYPES_AND_LINT = path.join(ROOT, 'scripts/types-and-lint.js')

/** The folders that have a tsconfig.json of their own: the root project leaves them out. */
const OWN_PROJECTS = ['bench', 'scripts', 'src/console/page']

/** @type {{ name: string, args: string[] }[]} */
const GATES = [
  {
    name: 'types and lint: src, test',
    args: [
      TYPES_AND_LINT,
      '--project=tsconfig.json',
      '--lint=.',
      ...OWN_PROJECTS.map((folder) => `--ignore=${folder}/**`),
      // scripts/tsconfig.json checks the ESLint config.
      '--ignore=eslint.config.js',
    ],
  },
  {
    name: 'types and lint: bench, scripts, console page',
    args: [
      TYPES_AND_LINT,
      ...OWN_PROJECTS.map((folder) => `--project=${folder}/tsconfig.json`),
      ...OWN_PROJECTS.map((folder) => `--lint=${folder}`),
      '--lint=eslint.config.js',
    ],
  },
  {
    name: 'format',
    args: [path.join(ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--check', '.'],
  },
  // Unused files, exports and dependencies (knip.jsonc names the entry points); a few seconds.
  { name: 'knip', args: [path.join(ROOT, 'node_modules/knip/bin/knip.js')] },
]

/**
 * Runs one gate to its end, keeping its output.
 * @param {{ name: string, args: string[] }} gate
 * @returns {Promise<{ name: string, ok: boolean, output: string, seconds: number }>}
 */
function runGate({ name, args }) {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: process.stdout.isTTY ? { ...process.env, FORCE_COLOR: '1' } : process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    /** @type {Buffer[]} */
    const chunks = []
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.stderr.on('data', (chunk) => chunks.push(chunk))
    const finish = (/** @type {boolean} */ ok, /** @type {string} */ extra = '') =>
      resolve({
        name,
        ok,
        output: Buffer.concat(chunks).toString() + extra,
        seconds: (performance.now() - started) / 1000,
      })
    child.on('error', (error) => finish(false, `${error.message}\n`))
    child.on('close', (code, signal) =>
      finish(code === 0, code === 0 ? '' : `exited with ${signal ?? `code ${code}`}\n`),
    )
  })
}

process.stdout.write(`check: ${GATES.map((gate) => gate.name).join(' | ')}\n`)
const results = await Promise.all(
  GATES.map(async (gate) => {
    const result = await runGate(gate)
    const mark = result.ok ? 'ok' : 'FAILED'
    const output = result.output.trimEnd()
    process.stdout.write(
      `\n── ${result.name}: ${mark} in ${result.seconds.toFixed(1)} s\n${output ? `${output}\n` : ''}`,
    )
    return result
  }),
)

const failed = results.filter((result) => !result.ok)
if (failed.length > 0) {
  process.stdout.write(`\ncheck failed: ${failed.map((result) => result.name).join(', ')}\n`)
  process.exit(1)
}
process.stdout.write('\ncheck: every gate passed\n')
