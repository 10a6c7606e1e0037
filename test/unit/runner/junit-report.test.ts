import { expect, test } from 'vitest'
import { toJUnitXml, type RunReport } from '../../../src/runner/index.js'

function setup(): RunReport {
  return {
    passed: 1,
    failed: 3,
    skipped: 1,
    bailed: false,
    durationMs: 1234,
    files: [
      {
        source: 'scenarios/lifecycle/busy-callee.yaml',
        scenarios: [
          {
            id: 'busy-callee',
            source: 'scenarios/lifecycle/busy-callee.yaml',
            description: 'busy',
            status: 'passed',
            problems: [],
            durationMs: 12,
            steps: [
              {
                index: 0,
                label: 'create: createSession',
                status: 'passed',
                summary: 'POST /sessions → 201 (3 ms)',
                durationMs: 3,
              },
            ],
          },
          {
            id: 'quiet',
            source: 'scenarios/lifecycle/busy-callee.yaml',
            description: undefined,
            status: 'skipped',
            skipReason: 'the scenario has no steps',
            problems: [],
            durationMs: 0,
            steps: [],
          },
        ],
      },
      {
        source: 'scenarios/errors/not-found.yaml',
        scenarios: [
          {
            id: 'not-found',
            source: 'scenarios/errors/not-found.yaml',
            description: undefined,
            status: 'failed',
            problems: [],
            durationMs: 40,
            steps: [
              {
                index: 0,
                label: 'read: getSessionDetailsById',
                status: 'failed',
                summary: 'GET /sessions/x → 200 (2 ms)',
                durationMs: 2,
                failure: {
                  type: 'failure',
                  messages: [
                    'status: expected 404, got 200',
                    'body.code: expected "NOT_FOUND" & <more>',
                  ],
                },
              },
              { index: 1, label: 'step 2: wait 1000 ms', status: 'skipped', durationMs: 0 },
            ],
          },
          {
            id: 'unreachable',
            source: 'scenarios/errors/not-found.yaml',
            description: undefined,
            status: 'failed',
            problems: [],
            durationMs: 5,
            steps: [
              {
                index: 0,
                label: 'step 1: createSession',
                status: 'failed',
                durationMs: 5,
                failure: {
                  type: 'error',
                  messages: [
                    'Failed to reach http://127.0.0.1:1: connection refused (ECONNREFUSED). Is the target running? Check --target.',
                  ],
                },
              },
            ],
          },
        ],
      },
      {
        source: 'broken.yaml',
        scenarios: [
          {
            id: 'broken',
            source: 'broken.yaml',
            description: undefined,
            status: 'failed',
            problems: ['broken.yaml:3: not valid YAML or JSON: bad \u0007indentation'],
            durationMs: 0,
            steps: [],
          },
        ],
      },
    ],
  }
}

test('writes one testsuite per file and one testcase per scenario', () => {
  const xml = toJUnitXml(setup())
  expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="callsim run" tests="5" failures="1" errors="2" skipped="1" time="1.234">
  <testsuite name="scenarios/lifecycle/busy-callee.yaml" tests="2" failures="0" errors="0" skipped="1" time="0.012">
    <testcase name="busy-callee" classname="scenarios.lifecycle.busy-callee" file="scenarios/lifecycle/busy-callee.yaml" time="0.012">
      <system-out>ok  create: createSession  POST /sessions → 201 (3 ms)</system-out>
    </testcase>
    <testcase name="quiet" classname="scenarios.lifecycle.busy-callee" file="scenarios/lifecycle/busy-callee.yaml" time="0.000">
      <skipped message="the scenario has no steps"/>
    </testcase>
  </testsuite>
  <testsuite name="scenarios/errors/not-found.yaml" tests="2" failures="1" errors="1" skipped="0" time="0.045">
    <testcase name="not-found" classname="scenarios.errors.not-found" file="scenarios/errors/not-found.yaml" time="0.040">
      <failure message="read: getSessionDetailsById: status: expected 404, got 200" type="expectation">FAILED  read: getSessionDetailsById  GET /sessions/x → 200 (2 ms)
      status: expected 404, got 200
      body.code: expected &quot;NOT_FOUND&quot; &amp; &lt;more&gt;
skipped  step 2: wait 1000 ms</failure>
    </testcase>
    <testcase name="unreachable" classname="scenarios.errors.not-found" file="scenarios/errors/not-found.yaml" time="0.005">
      <error message="step 1: createSession: Failed to reach http://127.0.0.1:1: connection refused (ECONNREFUSED). Is the target running? Check --target." type="runner-error">FAILED  step 1: createSession
      Failed to reach http://127.0.0.1:1: connection refused (ECONNREFUSED). Is the target running? Check --target.</error>
    </testcase>
  </testsuite>
  <testsuite name="broken.yaml" tests="1" failures="0" errors="1" skipped="0" time="0.000">
    <testcase name="broken" classname="broken" file="broken.yaml" time="0.000">
      <error message="broken.yaml:3: not valid YAML or JSON: bad indentation" type="invalid-file">broken.yaml:3: not valid YAML or JSON: bad indentation</error>
    </testcase>
  </testsuite>
</testsuites>
`)
})

test('counts add up across suites, as CI dashboards sum them', () => {
  const xml = toJUnitXml(setup())
  const suites = [
    ...xml.matchAll(
      /<testsuite name="[^"]*" tests="(\d+)" failures="(\d+)" errors="(\d+)" skipped="(\d+)"/g,
    ),
  ]
  const sum = (index: number) => suites.reduce((total, match) => total + Number(match[index]), 0)
  expect([sum(1), sum(2), sum(3), sum(4)]).toEqual([5, 1, 2, 1])
  expect(xml.match(/<testcase /g)).toHaveLength(5)
  // Every element that opens is closed, in order.
  const stack: string[] = []
  for (const [, closing, name, selfClosing] of xml.matchAll(/<(\/?)([a-z-]+)[^>]*?(\/?)>/g)) {
    if (selfClosing) continue
    if (closing) expect(stack.pop()).toBe(name)
    else stack.push(name as string)
  }
  expect(stack).toEqual([])
})
