import { expect, test } from 'vitest'
import { createRandom } from '../../../src/core/index.js'
import {
  FaultState,
  decideFault,
  formatScenarioProblem,
  type FaultRequest,
  type Scenario,
} from '../../../src/scenario/index.js'
import { createTestScenarioLoader } from '../../support/scenario-loader.js'

const loader = createTestScenarioLoader()

function setup(faults: string, seed = 42): { scenario: Scenario; state: FaultState } {
  const text = `description: Test faults.\nfaults:\n${faults}`
  const loaded = loader.load([{ text, source: 'scenarios/faults.yaml', stem: 'faults' }])
  if (!loaded.ok) throw new Error(loaded.error.map(formatScenarioProblem).join('\n'))
  return { scenario: loaded.value[0] as Scenario, state: new FaultState(createRandom(seed)) }
}

const request = (
  operationId = 'getSessionDetailsById',
  headers: Record<string, unknown> = {},
  body?: unknown,
): FaultRequest => ({ operationId, headers, body })

const RESPOND_404 = "    action: { type: respond, status: 404, code: NOT_FOUND, message: 'gone' }\n"

/** Which of `count` requests the scenario's plan hits (1-based). */
function hits(
  scenario: Scenario,
  state: FaultState,
  count: number,
  make = () => request(),
): number[] {
  return Array.from({ length: count }, (_, i) => i + 1).filter(
    () => decideFault(scenario, make(), state) !== undefined,
  )
}

test('nth hits only that request', () => {
  const { scenario, state } = setup(`  - when: { nth: 3 }\n${RESPOND_404}`)
  expect(hits(scenario, state, 8)).toEqual([3])
})

test('first hits the first N requests', () => {
  const { scenario, state } = setup(`  - when: { first: 2 }\n${RESPOND_404}`)
  expect(hits(scenario, state, 5)).toEqual([1, 2])
})

test('every hits each k-th request', () => {
  const { scenario, state } = setup(`  - when: { every: 3 }\n${RESPOND_404}`)
  expect(hits(scenario, state, 10)).toEqual([3, 6, 9])
})

test('conditions combine: every second request among the first five', () => {
  const { scenario, state } = setup(`  - when: { first: 5, every: 2 }\n${RESPOND_404}`)
  expect(hits(scenario, state, 10)).toEqual([2, 4])
})

test('counts only the requests the rule selects by operation', () => {
  const { scenario, state } = setup(
    `  - operations: [deleteSessionById]\n    when: { nth: 2 }\n${RESPOND_404}`,
  )
  const ops = [
    'getSessionDetailsById',
    'deleteSessionById',
    'getSessionDetailsById',
    'deleteSessionById',
    'deleteSessionById',
  ]
  const fired = ops.map((op) => decideFault(scenario, request(op), state) !== undefined)
  expect(fired).toEqual([false, false, false, true, false])
})

test('header and body matchers select the requests a rule counts', () => {
  const { scenario, state } = setup(`  - when:
      headers:
        X-Test-Case: { equalTo: 7 }
      body:
        /callType: { equalTo: EMERGENCY }
${RESPOND_404}`)
  expect(
    decideFault(
      scenario,
      request('createSession', { 'x-test-case': '7' }, { callType: 'REGULAR' }),
      state,
    ),
  ).toBeUndefined()
  expect(
    decideFault(scenario, request('createSession', {}, { callType: 'EMERGENCY' }), state),
  ).toBeUndefined()
  expect(
    decideFault(
      scenario,
      request('createSession', { 'x-test-case': '7' }, { callType: 'EMERGENCY' }),
      state,
    )?.actions,
  ).toEqual([{ kind: 'respond', status: 404, code: 'NOT_FOUND', message: 'gone' }])
})

test('a header matcher can require a header to be absent', () => {
  const { scenario, state } = setup(
    `  - when:\n      headers:\n        x-retry: { present: false }\n${RESPOND_404}`,
  )
  expect(decideFault(scenario, request('createSession', { 'x-retry': '1' }), state)).toBeUndefined()
  expect(decideFault(scenario, request('createSession'), state)).toBeDefined()
})

test('the first rule whose conditions hold applies, and it is named in the label', () => {
  const { scenario, state } = setup(`  - name: second try fails
    when: { nth: 2 }
    action: { type: drop-connection }
  - delay: { type: fixed, duration: 250ms }
`)
  const labels = [1, 2, 3].map(() => decideFault(scenario, request(), state)?.label)
  expect(labels).toEqual([
    'faults faults[1]: delay 250ms',
    'faults faults[0] (second try fails): drop-connection',
    'faults faults[1]: delay 250ms',
  ])
})

test('a probability draws from the seeded generator: the same seed repeats the same decisions', () => {
  const plan = `  - when: { probability: 0.3 }\n    action: { type: drop-connection }\n`
  const first = setup(plan, 7)
  const second = setup(plan, 7)
  const other = setup(plan, 8)
  const a = hits(first.scenario, first.state, 200)
  expect(hits(second.scenario, second.state, 200)).toEqual(a)
  expect(hits(other.scenario, other.state, 200)).not.toEqual(a)
  // 0.3 of 200 requests: the seeded draws land near 60.
  expect(a.length).toBeGreaterThan(40)
  expect(a.length).toBeLessThan(80)
})

test('uniform latency is drawn between min and max, the same way under the same seed', () => {
  const plan = `  - delay: { type: uniform, min: 1s, max: 3s }\n`
  const draw = (seed: number) => {
    const { scenario, state } = setup(plan, seed)
    return Array.from({ length: 50 }, () => decideFault(scenario, request(), state)?.actions[0])
  }
  const delays = draw(42)
  expect(draw(42)).toEqual(delays)
  for (const action of delays) {
    expect(action?.kind).toBe('delay')
    const ms = (action as { ms: number }).ms
    expect(ms).toBeGreaterThanOrEqual(1000)
    expect(ms).toBeLessThanOrEqual(3000)
  }
  expect(new Set(delays.map((a) => (a as { ms: number }).ms)).size).toBeGreaterThan(10)
})

test('malformed bodies and undeclared responses are marked intentional; declared ones are not', () => {
  const { scenario, state } = setup(`  - when: { nth: 1 }
    action: { type: malformed-body, status: 200 }
  - when: { nth: 2 }
    undeclared: true
    action: { type: respond, status: 503, code: UNAVAILABLE }
  - when: { nth: 3 }
${RESPOND_404}`)
  const decisions = [1, 2, 3].map(() => decideFault(scenario, request(), state))
  expect(decisions.map((d) => d?.intentional)).toEqual([true, true, false])
  expect(decisions.map((d) => d?.label)).toEqual([
    'faults faults[0]: malformed-body 200, intentional',
    'faults faults[1]: respond 503 UNAVAILABLE, undeclared on purpose',
    'faults faults[2]: respond 404 NOT_FOUND',
  ])
})

test('a respond action without a message gets one that names the scenario', () => {
  const { scenario, state } = setup(
    `  - action: { type: respond, status: 403, code: PERMISSION_DENIED }\n`,
  )
  expect(decideFault(scenario, request(), state)?.actions).toEqual([
    {
      kind: 'respond',
      status: 403,
      code: 'PERMISSION_DENIED',
      message: 'callsim scenario faults injected 403 PERMISSION_DENIED.',
    },
  ])
})
