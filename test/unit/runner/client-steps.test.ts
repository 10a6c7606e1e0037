/* eslint-disable no-template-curly-in-string -- run files write ${…} expressions in plain strings */
import { expect, test } from 'vitest'
import { testCompileCache } from '../../support/compile-cache.js'
import { formatSpecProblem } from '../../../src/contract/index.js'
import { createStepsValidator } from '../../../src/runner/client-steps.js'
import { loadRunFile } from '../../../src/runner/load-run-file.js'
import { readStepsSchema } from '../../../src/runner/read-run-inputs.js'

// Compiling the schema is the slow part; every test reads through the same validator.
const validate = createStepsValidator(readStepsSchema(), testCompileCache())

function setup() {
  const load = (text: string, source = 'scenarios/demo.yaml') =>
    loadRunFile(text, source, validate, testCompileCache())
  const problemsOf = (text: string) =>
    load(text).scenarios.flatMap((scenario) => scenario.problems.map(formatSpecProblem))
  return { load, problemsOf }
}

test('reads every step kind with its defaults', () => {
  const { load } = setup()
  const file = load(`description: demo
steps:
  - name: create
    request: createSession
    params: { registrationId: reg-1 }
    body: { a: 1 }
    expect: { status: [200, 201], paths: { body.status: Initial } }
  - wait: 1.5s
  - request: getSessionDetailsById
    auth: none
    poll: { timeout: 30s }
    expect: { body: { status: Connected } }
  - callback: { type: org.camaraproject.webrtc-events.v0.session-status }
  - subscribe: { types: [session-invitation], deviceId: "\${uuid.device}" }
  - callback: { type: session-invitation, timeout: 2s }
`)
  expect(file.problems).toEqual([])
  const [scenario] = file.scenarios
  expect(scenario?.id).toBe('demo')
  expect(scenario?.problems).toEqual([])
  expect(scenario?.steps).toMatchObject([
    {
      kind: 'request',
      name: 'create',
      operationId: 'createSession',
      params: { registrationId: 'reg-1' },
      body: { a: 1 },
      expect: { status: [200, 201], contract: 'valid', dropped: false },
    },
    { kind: 'wait', durationMs: 1500 },
    { kind: 'request', auth: { kind: 'none' }, poll: { timeoutMs: 30_000, intervalMs: 1000 } },
    {
      kind: 'callback',
      eventType: 'org.camaraproject.webrtc-events.v0.session-status',
      timeoutMs: 10_000,
    },
    {
      kind: 'subscribe',
      eventTypes: ['org.camaraproject.webrtc-events.v0.session-invitation'],
      deviceId: '${uuid.device}',
    },
    {
      kind: 'callback',
      eventType: 'org.camaraproject.webrtc-events.v0.session-invitation',
      timeoutMs: 2_000,
    },
  ])
  expect(scenario?.steps?.[1]?.origin).toEqual({
    source: 'scenarios/demo.yaml',
    pointer: '/steps/1',
    line: 8,
  })
})

test('takes ids from the keys of a file with several scenarios', () => {
  const { load } = setup()
  const file = load(`scenarios:
  first:
    description: one
    steps: [{ wait: 1s }]
  second:
    description: two
`)
  expect(file.scenarios.map((s) => [s.id, s.steps?.length])).toEqual([
    ['first', 1],
    ['second', undefined],
  ])
})

test('names file, line, pointer and the rule of each bad step', () => {
  const { problemsOf } = setup()
  const problems = problemsOf(`description: demo
steps:
  - request: createSession
    bogus: 1
  - wait: soon
  - nothing: here
  - request: getSessionDetailsById
    poll: { timeout: 5s }
  - name: env
    wait: 1s
  - request: createSession
    body: {}
    rawBody: "{"
  - request: x
    expect: { paths: { answer.sdp: { present: true } }, status: 99 }
`)
  expect(problems).toEqual([
    'scenarios/demo.yaml:4 at /steps/0/bogus: unknown property `bogus`; allowed here: name, description, request, auth, params, headers, body, rawBody, timeout, advance, expect, poll',
    'scenarios/demo.yaml:5 at /steps/1/wait: "soon" does not fit: A duration such as 250ms, 5s, 1.5m or 2h, or a number of milliseconds.',
    'scenarios/demo.yaml:6 at /steps/2: a step needs exactly one of request, wait, subscribe or callback',
    'scenarios/demo.yaml:7 at /steps/3: `poll` needs `expect`: poll repeats the request until expect holds',
    'scenarios/demo.yaml:9 at /steps/4/name: is a reserved name (env, sink, scenario and uuid are expression roots)',
    'scenarios/demo.yaml:11 at /steps/5: give either body or rawBody, not both',
    'scenarios/demo.yaml:15 at /steps/6/expect/status: must be a status code (100-599) or a list of them',
    'scenarios/demo.yaml:15 at /steps/6/expect/paths/answer.sdp: "answer.sdp" is not a valid name here: A path starts with status, headers or body, e.g. body.status or headers.x-correlator.',
  ])
})

test('refuses a step name used twice and a regular expression that does not compile', () => {
  const { problemsOf } = setup()
  expect(
    problemsOf(`description: demo
steps:
  - { name: a, wait: 1s }
  - name: a
    request: createSession
    expect: { headers: { x-correlator: { matches: "([" } } }
`),
  ).toEqual([
    'scenarios/demo.yaml:4 at /steps/1/name: step name "a" is already used by step 1; names must be unique within a scenario',
    expect.stringMatching(
      /^scenarios\/demo.yaml:6 at \/steps\/1\/expect: headers.x-correlator: "\(\[" is not a valid regular expression/,
    ),
  ])
})

test('reports a file that is not YAML or not a scenario', () => {
  const { load } = setup()
  expect(load('a: [1, 2').problems[0]?.message).toMatch(/^not valid YAML or JSON/)
  expect(load('- 1\n- 2\n').problems[0]?.message).toMatch(/^not a scenario file/)
})
