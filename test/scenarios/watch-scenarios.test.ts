import { rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import { StartupError } from '../../src/app/index.js'
import { startSimulator } from '../support/start-simulator.js'
import { nextReload, scenarioFolder, setup, type Setup } from './setup.js'

const RINGS_FOREVER = 'description: Rings and never answers.\nlifecycle:\n  - after: 1s\n    status: Ringing\n'
const ANSWERS_AT_ONCE = 'description: Answers after 1s.\nlifecycle:\n  - after: 1s\n    action: answer\n'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})


async function watching(scenarioPath: string): Promise<Setup> {
  const t = await setup({ scenarioPaths: [scenarioPath], watchScenarios: true })
  cleanups.push(() => t.simulator.dispose())
  return t
}

/** The next reload the watcher makes, or a failure after 10 s. */

test('loads scenarios from a --scenarios folder beside the shipped ones', async () => {
  const dir = scenarioFolder({ 'rings-forever.yaml': RINGS_FOREVER })
  const t = await setup({ scenarioPaths: [dir] })
  const id = await t.placeCall('rings-forever')
  t.advance(60_000)
  expect((await t.getSession(id)).body.status).toBe('Ringing')
  // A folder outside the working directory is named by its absolute path.
  expect((await t.http.get('/_callsim/scenarios/rings-forever')).body.source).toBe(path.join(dir, 'rings-forever.yaml'))
})

test('loads a single scenario file named by --scenarios, and not its neighbours', async () => {
  const dir = scenarioFolder({ 'rings-forever.yaml': RINGS_FOREVER, 'answers-at-once.yaml': ANSWERS_AT_ONCE })
  const t = await setup({ scenarioPaths: [path.join(dir, 'rings-forever.yaml')] })
  const id = await t.placeCall('rings-forever')
  t.advance(60_000)
  expect((await t.getSession(id)).body.status).toBe('Ringing')
  expect((await t.http.get('/_callsim/scenarios/answers-at-once')).status).toBe(404)
})

test('refuses at start-up an id that a shipped scenario already uses, naming both files', () => {
  const dir = scenarioFolder({ 'busy-callee.yaml': RINGS_FOREVER })
  let problems: readonly string[] = []
  try {
    startSimulator({ scenarioPaths: [dir] })
  } catch (error) {
    expect(error).toBeInstanceOf(StartupError)
    problems = (error as StartupError).problems
  }
  expect(problems).toHaveLength(1)
  expect(problems[0]).toMatch(/busy-callee\.yaml:1: the scenario id "busy-callee" is defined more than once \(.*scenarios[\\/]lifecycle[\\/]busy-callee\.yaml:1, .*busy-callee\.yaml:1\)/)
})

test('refuses at start-up a scenario folder that does not exist', () => {
  expect(() => startSimulator({ scenarioPaths: ['no-such-folder'] })).toThrow(/Failed to read scenarios from no-such-folder: no such file or folder\./)
})

test('--watch swaps in an edited scenario without touching live calls', async () => {
  const dir = scenarioFolder({ 'my-callee.yaml': RINGS_FOREVER })
  const t = await watching(dir)
  const before = await t.placeCall('my-callee')

  const reloaded = nextReload(t)
  writeFileSync(path.join(dir, 'my-callee.yaml'), ANSWERS_AT_ONCE)
  expect((await reloaded).ok).toBe(true)

  const after = await t.placeCall('my-callee')
  t.advance(5000)
  expect((await t.getSession(after)).body.status).toBe('Connected')
  // The call placed before the edit keeps the script it started with.
  expect((await t.getSession(before)).body.status).toBe('Ringing')
})

test('--watch on a single file reloads it when it is edited', async () => {
  const dir = scenarioFolder({ 'my-callee.yaml': RINGS_FOREVER })
  const t = await watching(path.join(dir, 'my-callee.yaml'))
  const reloaded = nextReload(t)
  writeFileSync(path.join(dir, 'my-callee.yaml'), ANSWERS_AT_ONCE)
  expect((await reloaded).ok).toBe(true)
  const id = await t.placeCall('my-callee')
  t.advance(5000)
  expect((await t.getSession(id)).body.status).toBe('Connected')
})

test('--watch reports a broken edit and keeps the previous scenarios in force', async () => {
  const dir = scenarioFolder({ 'my-callee.yaml': ANSWERS_AT_ONCE })
  const t = await watching(dir)

  const reloaded = nextReload(t)
  writeFileSync(path.join(dir, 'my-callee.yaml'), 'description: Broken.\nlifecycle:\n  - after: soon\n    action: answer\n')
  const outcome = await reloaded
  expect(outcome.ok).toBe(false)
  expect(outcome.ok ? [] : outcome.error).toEqual([expect.stringMatching(/my-callee\.yaml:3 at \/lifecycle\/0\/after: "soon" does not fit: A duration/)])

  const id = await t.placeCall('my-callee')
  t.advance(1000)
  expect((await t.getSession(id)).body.status).toBe('Connected')
})

test('--watch picks up a new file and drops the activation of a deleted one', async () => {
  const dir = scenarioFolder({ 'my-callee.yaml': ANSWERS_AT_ONCE })
  const t = await watching(dir)
  await t.http.put('/_callsim/activations/global').send({ scenarioId: 'my-callee' })

  const added = nextReload(t)
  writeFileSync(path.join(dir, 'rings-forever.yaml'), RINGS_FOREVER)
  expect(await added).toMatchObject({ ok: true })
  expect((await t.http.get('/_callsim/scenarios/rings-forever')).status).toBe(200)

  const removed = nextReload(t)
  rmSync(path.join(dir, 'my-callee.yaml'))
  expect(await removed).toMatchObject({ ok: true, value: { droppedActivations: ['my-callee (global)'] } })
  expect((await t.http.get('/_callsim/activations')).body.global).toBeNull()
})
