import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterEach, expect, test } from 'vitest'
import { StartupError } from '../../src/app/index.js'
import { NEW_SESSION, setup } from '../scenarios/setup.js'
import { ALICE, startSimulator, tokenFor } from '../support/start-simulator.js'

// Issue 16: no pattern callsim evaluates on request data may backtrack. Each reproduction
// below froze the server for seconds before; each request must now answer at once.
const BASE = '/webrtc-call-handling/vwip'
const FAST_MS = 1000

const folders: string[] = []
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'callsim-patterns-'))
  folders.push(dir)
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text)
  return dir
}

function startupProblems(run: () => unknown): readonly string[] {
  try {
    run()
  } catch (error) {
    if (error instanceof StartupError) return error.problems
    throw error
  }
  return []
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now()
  const result = await run()
  return { result, ms: performance.now() - started }
}

/** The built-in call handling spec with its x-correlator pattern replaced. */
function callHandlingSpecWithCorrelatorPattern(pattern: string): string {
  const text = readFileSync('spec/camara/webrtc-call-handling.yaml', 'utf8')
  const original = "pattern: '^[a-zA-Z0-9-_:;.\\/<>{}]{0,256}$'"
  if (!text.includes(original)) throw new Error('the x-correlator pattern moved in the spec')
  return text.replace(original, () => `pattern: '${pattern}'`)
}

test('answers an advance of "1", 120,000 spaces and "x" at once with 400', async () => {
  const simulator = startSimulator()
  const advance = `1${' '.repeat(120_000)}x`
  const { result, ms } = await timed(() =>
    request(simulator.app).post('/_callsim/clock').send({ advance }),
  )
  expect(result.status).toBe(400)
  expect(ms).toBeLessThan(FAST_MS)
  simulator.dispose()
})

test('matches a scenario pattern ^(a+)+$ against a hostile header in linear time', async () => {
  const dir = folder({
    'a-plus.yaml': [
      'description: Selected by a header made of a letters.',
      'match:',
      '  headers:',
      '    x-tenant: { matches: "^(a+)+$" }',
      '',
    ].join('\n'),
  })
  const t = await setup({ scenarioPaths: [dir] })
  const { result, ms } = await timed(() =>
    t.createSession(NEW_SESSION, { 'x-tenant': `${'a'.repeat(40)}!` }),
  )
  expect(result.status).toBe(201)
  expect(ms).toBeLessThan(FAST_MS)
  t.simulator.dispose()
})

test('validates a --spec pattern ^(a+)+$ against a hostile header in linear time', async () => {
  const dir = folder({ 'call-handling.yaml': callHandlingSpecWithCorrelatorPattern('^(a+)+$') })
  const simulator = startSimulator({ specs: [path.join(dir, 'call-handling.yaml')] })
  const token = await tokenFor(simulator, ALICE)
  const { result, ms } = await timed(() =>
    request(simulator.app)
      .get(`${BASE}/sessions/unknown`)
      .set({ authorization: `Bearer ${token}`, 'x-correlator': `${'a'.repeat(40)}!` }),
  )
  expect(result.status).toBe(400)
  expect(result.body).toMatchObject({ status: 400, code: 'INVALID_ARGUMENT' })
  expect(ms).toBeLessThan(FAST_MS)
  simulator.dispose()
})

test('refuses at start-up a --spec pattern with a backreference, naming its file and line', () => {
  const dir = folder({ 'call-handling.yaml': callHandlingSpecWithCorrelatorPattern('^(a)\\1$') })
  const file = path.join(dir, 'call-handling.yaml')
  const line =
    readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((text) => text.includes("pattern: '^(a)\\1$'")) + 1
  const problems = startupProblems(() => startSimulator({ specs: [file] }))
  expect(problems).toEqual([
    expect.stringMatching(
      new RegExp(
        `call-handling\\.yaml:${line} at /components/.+/pattern: "\\^\\(a\\)\\\\1\\$" uses a backreference, which callsim's linear-time regular expression engine cannot run`,
      ),
    ),
  ])
})

test('refuses at start-up a scenario pattern with a lookaround, naming its file and line', () => {
  const dir = folder({
    'lookahead.yaml': [
      'description: Uses a lookahead.',
      'match:',
      '  headers:',
      '    x-tenant:',
      '      matches: "^(?=a)\\\\w+$"',
      '',
    ].join('\n'),
  })
  const problems = startupProblems(() => startSimulator({ scenarioPaths: [dir] }))
  expect(problems).toEqual([
    expect.stringMatching(
      /lookahead\.yaml:5 at \/match\/headers\/x-tenant\/matches: "\^\(\?=a\)\\w\+\$" uses a lookaround/,
    ),
  ])
})
