import { expect, test } from 'vitest'
import { createRandom } from '../../../src/core/index.js'
import {
  ScenarioEngine,
  formatScenarioProblem,
  type SelectionContext,
} from '../../../src/scenario/index.js'
import { createTestScenarioLoader } from '../../support/scenario-loader.js'

const loader = createTestScenarioLoader()

const LIBRARY = `scenarios:
  busy-callee:
    description: Magic number for busy.
    match:
      remoteAddress: { matches: '^(tel:)?\\+15550100486$' }
    lifecycle: [{ after: 1s, status: Busy }]
  vip:
    description: Selected by a header the client sends anyway.
    match:
      headers:
        x-customer-tier: { equalTo: gold }
  emergency:
    description: Selected by the body.
    match:
      body:
        /callType: { equalTo: EMERGENCY }
  flaky:
    description: Activated through the control API.
  slow:
    description: Activated through the control API.
`

function setup(): ScenarioEngine {
  const loaded = loader.load([{ text: LIBRARY, source: 'scenarios/pack.yaml', stem: 'pack' }])
  if (!loaded.ok) throw new Error(loaded.error.map(formatScenarioProblem).join('\n'))
  return new ScenarioEngine(loaded.value, createRandom(42))
}

function context(overrides: Partial<SelectionContext> = {}): SelectionContext {
  return {
    headers: {},
    body: undefined,
    remoteAddress: 'tel:+15550002',
    subscriber: 'tel:+15550001',
    ...overrides,
  }
}

function selected(engine: ScenarioEngine, overrides: Partial<SelectionContext> = {}): string {
  const result = engine.select(context(overrides))
  if (!result.ok) throw new Error(`unknown scenario ${result.error.id}`)
  return `${result.value.scenario.id} (${result.value.reason})`
}

test('falls back to the built-in default when nothing selects a scenario', () => {
  const engine = setup()
  expect(selected(engine)).toBe('default (default)')
  expect(engine.get('default')?.origin.source).toBe('(built in)')
})

test('a magic number selects its scenario by the remote address', () => {
  const engine = setup()
  expect(selected(engine, { remoteAddress: 'tel:+15550100486' })).toBe('busy-callee (match)')
  expect(selected(engine, { remoteAddress: '+15550100486' })).toBe('busy-callee (match)')
  expect(selected(engine, { remoteAddress: 'tel:+155501004860' })).toBe('default (default)')
})

test('matches on headers and on body members by JSON pointer', () => {
  const engine = setup()
  expect(selected(engine, { headers: { 'x-customer-tier': 'gold' } })).toBe('vip (match)')
  expect(selected(engine, { body: { callType: 'EMERGENCY' } })).toBe('emergency (match)')
  expect(selected(engine, { body: { callType: 'REGULAR' } })).toBe('default (default)')
})

test('selects in the documented order: header, match, subscriber, global, default', () => {
  const engine = setup()
  expect(engine.activate('slow').ok).toBe(true)
  expect(selected(engine)).toBe('slow (global)')
  expect(engine.activate('flaky', 'tel:+15550001').ok).toBe(true)
  expect(selected(engine)).toBe('flaky (subscriber)')
  expect(selected(engine, { subscriber: 'tel:+15550003' })).toBe('slow (global)')
  expect(selected(engine, { remoteAddress: 'tel:+15550100486' })).toBe('busy-callee (match)')
  expect(
    selected(engine, {
      remoteAddress: 'tel:+15550100486',
      headers: { 'x-callsim-scenario': 'vip' },
    }),
  ).toBe('vip (header)')
})

test('deactivating falls back a level', () => {
  const engine = setup()
  engine.activate('slow')
  engine.activate('flaky', 'tel:+15550001')
  expect(engine.deactivate('tel:+15550001')).toBe(true)
  expect(selected(engine)).toBe('slow (global)')
  expect(engine.deactivate()).toBe(true)
  expect(engine.deactivate()).toBe(false)
  expect(selected(engine)).toBe('default (default)')
})

test('an unknown scenario in the header is an error, not a silent default', () => {
  const engine = setup()
  const result = engine.select(context({ headers: { 'x-callsim-scenario': 'bussy-callee' } }))
  expect(result).toEqual({ ok: false, error: { kind: 'unknown-scenario', id: 'bussy-callee' } })
})

test('refuses to activate an unknown scenario', () => {
  const engine = setup()
  expect(engine.activate('nope')).toEqual({
    ok: false,
    error: { kind: 'unknown-scenario', id: 'nope' },
  })
  expect(engine.activations().global).toBeUndefined()
})

test('a reload drops activations of scenarios that are gone and keeps the others', () => {
  const engine = setup()
  engine.activate('slow')
  engine.activate('flaky', 'tel:+15550001')
  const remaining = engine.list().filter((s) => s.id !== 'flaky' && s.id !== 'default')
  expect(engine.replace(remaining)).toEqual({ droppedActivations: ['flaky (tel:+15550001)'] })
  expect(engine.activations()).toEqual({ global: 'slow', subscribers: new Map() })
})

test('reset clears every activation', () => {
  const engine = setup()
  engine.activate('slow')
  engine.activate('flaky', 'tel:+15550001')
  engine.reset()
  expect(selected(engine)).toBe('default (default)')
})
