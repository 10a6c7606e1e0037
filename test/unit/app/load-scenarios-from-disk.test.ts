import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, expect, test } from 'vitest'
import type { Simulator } from '../../../src/app/index.js'
import { startSimulator } from '../../support/start-simulator.js'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function setup(scenarioPaths: string[] = []): Simulator {
  const simulator = startSimulator({ scenarioPaths })
  cleanups.push(() => simulator.dispose())
  return simulator
}

test('loads the shipped scenarios once per process: simulators share them, read-only', () => {
  const shipped = setup().scenarios.get('busy-callee')
  expect(setup().scenarios.get('busy-callee')).toBe(shipped)
  expect(Object.isFrozen(shipped)).toBe(true)
  expect(Object.isFrozen(shipped?.definition)).toBe(true)
  expect(() => Object.assign(shipped ?? {}, { description: 'Answers.' })).toThrow(TypeError)
})

test('loads a scenario file anew once a byte of it changed', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'callsim-scenarios-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const file = path.join(dir, 'rings-forever.yaml')
  writeFileSync(file, 'description: Rings and never answers.\n')
  const before = setup([dir])
  writeFileSync(file, 'description: Rings and never answers!\n')
  const after = setup([dir])
  expect(before.scenarios.get('rings-forever')?.description).toBe('Rings and never answers.')
  expect(after.scenarios.get('rings-forever')?.description).toBe('Rings and never answers!')
})
