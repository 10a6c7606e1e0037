import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { StartupError } from '../../src/app/index.js'
import { parseYamlSource } from '../../src/contract/index.js'
import { startSimulator } from '../support/start-simulator.js'
import { nextReload, scenarioFolder, setup } from './setup.js'

// Issue 16: a file callsim reads must not crash it, exhaust its heap or stall it. Every limit
// is reported as a problem with the file and line (docs/file-limits.md), never thrown.

const ANSWERS_AT_ONCE = 'description: Answers after 1s.\nlifecycle:\n  - after: 1s\n    action: answer\n'

/** The "billion laughs": ten aliases of ten aliases of … a list of ten strings. */
function aliasBomb(): string {
  const lines = ['description: An alias bomb.', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]']
  for (let level = 1; level < 10; level += 1) {
    lines.push(`a${level}: &a${level} [${Array(10).fill(`*a${level - 1}`).join(', ')}]`)
  }
  return `${lines.join('\n')}\n`
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})


function startupProblems(run: () => unknown): readonly string[] {
  try {
    const started = run() as { dispose?: () => void }
    started.dispose?.()
  } catch (error) {
    if (error instanceof StartupError) return error.problems
    throw error
  }
  return []
}


test('reports an alias bomb in a scenario file with its line instead of throwing', () => {
  const dir = scenarioFolder({ 'bomb.yaml': aliasBomb() })
  expect(startupProblems(() => startSimulator({ scenarioPaths: [dir] }))).toEqual([
    expect.stringMatching(
      /bomb\.yaml:3: YAML aliases \(\*name\) here expand to more data than callsim reads \(the yaml library's maxAliasCount of 100\)/,
    ),
  ])
})

test('reports an alias bomb in a --spec file with its line instead of throwing', () => {
  const dir = scenarioFolder({ 'bomb-spec.yaml': `openapi: 3.0.3\n${aliasBomb()}` })
  expect(startupProblems(() => startSimulator({ specs: [path.join(dir, 'bomb-spec.yaml')] }))).toEqual([
    expect.stringMatching(/bomb-spec\.yaml:4: YAML aliases \(\*name\) here expand/),
  ])
})

test('refuses a file over the size limit before parsing it, and --max-file-size raises the limit', () => {
  // 200,000 lifecycle steps: the 100-step limit would only be checked after parsing them all.
  const steps = Array.from({ length: 200_000 }, () => '  - { after: 1s, status: Ringing }').join('\n')
  const dir = scenarioFolder({ 'huge.yaml': `description: Huge.\nlifecycle:\n${steps}\n` })
  const started = performance.now()
  expect(startupProblems(() => startSimulator({ scenarioPaths: [dir], maxFileBytes: 1024 * 1024 }))).toEqual([
    expect.stringMatching(/huge\.yaml: the file is \d+\.\d+ MiB, more than the 1 MiB callsim reads; split it, or raise the limit with --max-file-size <MiB>/),
  ])
  expect(performance.now() - started).toBeLessThan(10_000)

  const small = scenarioFolder({ 'small.yaml': ANSWERS_AT_ONCE })
  expect(startupProblems(() => startSimulator({ scenarioPaths: [small], maxFileBytes: 40 }))).toEqual([
    expect.stringMatching(/small\.yaml: the file is 75 bytes, more than the 40 bytes callsim reads/),
  ])
  expect(startupProblems(() => startSimulator({ scenarioPaths: [small], maxFileBytes: 4096 }))).toEqual([])
})

test('reports objects nested deeper than 64 levels with the line, and far deeper ones too', () => {
  const dir = scenarioFolder({
    'deep.yaml': `description: Deep.\nmatch:\n  body:\n    /a: { equalTo: ${'['.repeat(70)}${']'.repeat(70)} }\n`,
    'deeper.json': `{"description": "Deeper.", "x": ${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
  })
  expect(startupProblems(() => startSimulator({ scenarioPaths: [dir] }))).toEqual([
    expect.stringMatching(/deep\.yaml:4 at \/match\/body\/~1a\/equalTo(\/0)+: objects and lists are nested more than 64 levels deep here/),
    expect.stringMatching(/deeper\.json:1: not valid YAML or JSON: Maximum call stack size exceeded/),
  ])
})

test('refuses more than 1000 scenarios in one file, naming their line', () => {
  const many = Array.from({ length: 1001 }, (_, i) => `  s${i}: { description: Number ${i}. }`).join('\n')
  const dir = scenarioFolder({ 'many.yaml': `# generated\nscenarios:\n${many}\n` })
  expect(startupProblems(() => startSimulator({ scenarioPaths: [dir] }))).toEqual([
    expect.stringMatching(/many\.yaml:3 at \/scenarios: 1001 scenarios in one file, more than the 1000 callsim reads from one file; split them over several files/),
  ])
})

test('parses a 20,000-key mapping and finds the line of every key in linear time', () => {
  // 16,000 scenarios in one file took 12 s: the yaml library compares every key with every
  // earlier one to find duplicates, and each line lookup scanned the mapping again.
  const keys = 20_000
  const text = Array.from({ length: keys }, (_, i) => `k${i}: ${i}`).join('\n')
  const started = performance.now()
  const parsed = parseYamlSource(text, 'big.yaml')
  if (!parsed.ok) throw new Error('the mapping does not parse')
  let wrong = 0
  for (let i = 0; i < keys; i += 1) if (parsed.value.lineOf(`/k${i}`) !== i + 1) wrong += 1
  expect(wrong).toBe(0)
  expect(performance.now() - started).toBeLessThan(15_000)
  // Duplicates are still found, with their line.
  expect(parseYamlSource(`${text}\nk7: again`, 'big.yaml')).toMatchObject({
    ok: false,
    error: [{ line: keys + 1, message: expect.stringMatching(/Map keys must be unique/) }],
  })
}, 60_000)

test('--watch survives an alias bomb and an oversized file, and keeps the previous scenarios', async () => {
  const dir = scenarioFolder({ 'my-callee.yaml': ANSWERS_AT_ONCE })
  const t = await setup({ scenarioPaths: [dir], watchScenarios: true, maxFileBytes: 64 * 1024 })
  cleanups.push(() => t.simulator.dispose())

  const bombed = nextReload(t)
  writeFileSync(path.join(dir, 'my-callee.yaml'), aliasBomb())
  expect(await bombed).toEqual({ ok: false, error: [expect.stringMatching(/my-callee\.yaml:3: YAML aliases/)] })

  const oversized = nextReload(t)
  writeFileSync(path.join(dir, 'my-callee.yaml'), `${ANSWERS_AT_ONCE}# ${'x'.repeat(100_000)}\n`)
  expect(await oversized).toEqual({ ok: false, error: [expect.stringMatching(/my-callee\.yaml: the file is 97\.7 KiB, more than the 64 KiB callsim reads/)] })

  // Still answering, with the scenario as it was before the hostile edits.
  const id = await t.placeCall('my-callee')
  t.advance(1000)
  expect((await t.getSession(id)).body.status).toBe('Connected')
})
