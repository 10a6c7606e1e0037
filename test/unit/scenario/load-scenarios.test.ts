import { expect, test } from 'vitest'
import { DEFAULT_LIFECYCLE } from '../../../src/core/index.js'
import {
  formatScenarioProblem,
  type Scenario,
  type ScenarioFile,
} from '../../../src/scenario/index.js'
import { createTestScenarioLoader } from '../../support/scenario-loader.js'

const loader = createTestScenarioLoader()

function file(text: string, stem = 'example', source = `scenarios/${stem}.yaml`): ScenarioFile {
  return { text, source, stem }
}

function setup(...files: ScenarioFile[]): { scenarios: Scenario[]; problems: string[] } {
  const loaded = loader.load(files)
  return loaded.ok
    ? { scenarios: loaded.value, problems: [] }
    : { scenarios: [], problems: loaded.error.map(formatScenarioProblem) }
}

test('loads a one-scenario file whose id is the file stem', () => {
  const { scenarios, problems } = setup(
    file(
      `description: Busy after ringing.
lifecycle:
  - after: 200ms
    status: InProgress
  - at: 2s
    status: Busy
`,
      'busy-callee',
      'scenarios/lifecycle/busy-callee.yaml',
    ),
  )
  expect(problems).toEqual([])
  expect(scenarios).toHaveLength(1)
  const [busy] = scenarios
  expect(busy?.id).toBe('busy-callee')
  expect(busy?.origin.source).toBe('scenarios/lifecycle/busy-callee.yaml')
  expect(busy?.lifecycle.steps).toEqual([
    { delayMs: 200, from: 'previous', action: { kind: 'status', status: 'InProgress' } },
    { delayMs: 2000, from: 'creation', action: { kind: 'status', status: 'Busy' } },
  ])
})

test('loads several scenarios from one file, each id being its key under scenarios', () => {
  const { scenarios, problems } = setup(
    file(
      `scenarios:
  quick-answer:
    description: Answers at once.
    lifecycle:
      - after: 0
        action: answer
  never-answers:
    description: Rings forever.
    lifecycle: []
`,
      'team-pack',
    ),
  )
  expect(problems).toEqual([])
  expect(scenarios.map((s) => s.id)).toEqual(['quick-answer', 'never-answers'])
  expect(scenarios[0]?.origin).toMatchObject({ pointer: '/scenarios/quick-answer', line: 3 })
  expect(scenarios[1]?.lifecycle.steps).toEqual([])
})

test('a scenario without a lifecycle plays the default one', () => {
  const { scenarios } = setup(file('description: Only faults.\nfaults: []\n'))
  expect(scenarios[0]?.lifecycle).toBe(DEFAULT_LIFECYCLE)
})

test('reports every schema problem of a file with its line and JSON pointer, in plain words', () => {
  const { problems } = setup(
    file(
      `description: Typos everywhere.
lifecycle:
  - after: 5 sec
    status: Bussy
faults:
  - action:
      type: respond
      status: 404
    operation: getSessionDetailsById
colour: blue
`,
      'typos',
    ),
  )
  expect(problems).toEqual([
    'scenarios/typos.yaml:10 at /colour: unknown property `colour`; allowed here: description, match, lifecycle, faults, needs, steps',
    'scenarios/typos.yaml:3 at /lifecycle/0/after: "5 sec" does not fit: A duration such as 250ms, 5s, 1.5m or 2h, or a number of milliseconds.',
    expect.stringMatching(
      /^scenarios\/typos\.yaml:4 at \/lifecycle\/0\/status: "Bussy" is not allowed here; use one of: InProgress, Ringing, .*Busy$/,
    ),
    'scenarios/typos.yaml:9 at /faults/0/operation: unknown property `operation`; allowed here: name, operations, when, delay, action, undeclared',
    'scenarios/typos.yaml:7 at /faults/0/action: missing required property `code`',
  ])
})

test('names the missing description and explains what it is for', () => {
  const { problems } = setup(file('lifecycle: []\n', 'no-description'))
  expect(problems).toEqual([
    'scenarios/no-description.yaml:1: missing required property `description`: One or two sentences a user reads in `callsim scenarios`: what happens and why one would pick it.',
  ])
})

test('reports a YAML syntax error with its line', () => {
  const { problems } = setup(
    file('description: broken\nlifecycle:\n  - after: 1s\n   status: Ringing\n', 'broken'),
  )
  expect(problems).toHaveLength(1)
  expect(problems[0]).toMatch(/^scenarios\/broken\.yaml:4: not valid YAML or JSON: /)
})

test('refuses a file that is not a mapping', () => {
  const { problems } = setup(file('- description: a list\n', 'listy'))
  expect(problems).toEqual([
    'scenarios/listy.yaml:1: a scenario file must be a mapping with at least a `description` (or `scenarios:` holding several); see docs/scenarios.md',
  ])
})

test('refuses a file stem that cannot be a scenario id', () => {
  const { problems } = setup(file('description: x\n', 'Busy_Callee', 'scenarios/Busy_Callee.yaml'))
  expect(problems).toEqual([
    'scenarios/Busy_Callee.yaml:1: the file name is the scenario id, and "Busy_Callee" is not a valid one: rename the file to lower-case letters, digits and dashes (e.g. busy-callee.yaml)',
  ])
})

test('refuses a key under scenarios that cannot be a scenario id', () => {
  const { problems } = setup(file('scenarios:\n  Quick_Answer:\n    description: x\n', 'pack'))
  expect(problems).toEqual([
    'scenarios/pack.yaml:3 at /scenarios/Quick_Answer: "Quick_Answer" is not a valid name here: A scenario id: lower-case letters, digits and dashes, starting with a letter or digit, e.g. busy-callee.',
  ])
})

test('refuses the same id in two folders, naming both files', () => {
  const { problems } = setup(
    file('description: one\n', 'busy-callee', 'scenarios/lifecycle/busy-callee.yaml'),
    file('scenarios:\n  busy-callee:\n    description: two\n', 'mine', 'my-scenarios/mine.yaml'),
  )
  expect(problems).toEqual([
    'my-scenarios/mine.yaml:3 at /scenarios/busy-callee: the scenario id "busy-callee" is defined more than once (scenarios/lifecycle/busy-callee.yaml:1, my-scenarios/mine.yaml:3); ids are unique across all scenario folders, so rename one',
  ])
})

test('explains lifecycle steps that give both or neither of at/after and status/action', () => {
  const { problems } = setup(
    file(
      `description: Confused steps.
lifecycle:
  - at: 1s
    after: 2s
    status: Ringing
  - after: 1s
  - after: 1s
    status: Ringing
    from: tel:+15550100999
`,
      'confused',
    ),
  )
  expect(problems).toEqual([
    'scenarios/confused.yaml:3 at /lifecycle/0: give exactly one of `at` (a time from the creation of the call) or `after` (a time from the previous step)',
    'scenarios/confused.yaml:6 at /lifecycle/1: give exactly one of `status` (what the network reports) or `action` (what the far end does)',
    'scenarios/confused.yaml:9 at /lifecycle/2/from: `from` belongs to `action: incoming-call` only; remove it or change the action',
  ])
})

test('explains fault rules that cannot work', () => {
  const { problems } = setup(
    file(
      `description: Broken faults.
faults:
  - name: does nothing
    when: { nth: 2 }
  - delay: { type: uniform, min: 3s, max: 1s }
  - delay: { type: fixed, duration: 1s, max: 2s }
  - action: { type: drop-connection, status: 500 }
  - action: { type: respond, status: 200, code: OK }
  - when:
      headers:
        x-test: { matches: '(unclosed' }
    action: { type: drop-connection }
`,
      'broken-faults',
    ),
  )
  expect(problems).toEqual([
    'scenarios/broken-faults.yaml:3 at /faults/0: a fault needs a `delay`, an `action`, or both; as written it does nothing',
    'scenarios/broken-faults.yaml:5 at /faults/1/delay: min (3000 ms) is larger than max (1000 ms); swap them',
    'scenarios/broken-faults.yaml:6 at /faults/2/delay/max: `max` does not belong to a fixed delay; a fixed delay takes `duration`, a uniform one `min` and `max`',
    'scenarios/broken-faults.yaml:7 at /faults/3/action/status: `status` does not belong to a drop-connection action; remove it',
    'scenarios/broken-faults.yaml:8 at /faults/4/action/status: a respond action injects an error, so its status must be 400 or more, not 200',
    expect.stringMatching(
      /^scenarios\/broken-faults\.yaml:11 at \/faults\/5\/when\/headers\/x-test\/matches: "\(unclosed" is not a valid regular expression \(.+\)\. Write a JavaScript regular expression/,
    ),
  ])
})

test('refuses a value matcher with two tests', () => {
  const { problems } = setup(
    file(
      "description: x\nmatch:\n  remoteAddress: { equalTo: 'tel:+1', matches: '^tel:' }\n",
      'two-tests',
    ),
  )
  expect(problems).toEqual([
    'scenarios/two-tests.yaml:3 at /match/remoteAddress: {"equalTo":"tel:+1","matches":"^tel:"} does not fit: Exactly one test: equalTo (the same JSON value), matches (a regular expression on a string) or present (true: the value exists; false: it does not).',
  ])
})

test('accepts client steps for callsim run and keeps them aside', () => {
  const { scenarios, problems } = setup(
    file(
      'description: With steps.\nsteps:\n  - request: createSession\n    expect: { status: 201 }\n',
      'with-steps',
    ),
  )
  expect(problems).toEqual([])
  expect(scenarios[0]?.steps).toEqual([{ request: 'createSession', expect: { status: 201 } }])
})

test('refuses client steps that break spec/callsim-steps.schema.json', () => {
  const { problems } = setup(
    file(
      'description: With a typo.\nsteps:\n  - request: createSession\n    expect: { stauts: 201 }\n',
      'with-typo',
    ),
  )
  expect(problems).toEqual([
    expect.stringMatching(
      /^scenarios\/with-typo\.yaml:4 at \/steps\/0\/expect\/stauts: unknown property `stauts`/,
    ),
  ])
})

test('reports the problems of every file, not only the first', () => {
  const { problems } = setup(
    file('lifecycle: []\n', 'first'),
    file('description: x\nfaults: nope\n', 'second'),
  )
  expect(problems).toEqual([
    expect.stringMatching(/^scenarios\/first\.yaml:1: missing required property `description`/),
    'scenarios/second.yaml:2 at /faults: must be a list, not a string',
  ])
})
