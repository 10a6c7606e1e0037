import { expect, test } from 'vitest'
import { checkResponse, toJUnitXml, type RunReport } from '../../../src/runner/index.js'

// An error body's advice sits at its end; a failure must show it, in the terminal and in JUnit.
const ADVICE =
  'Use an https:// sink, or start callsim with --allow-http-sinks to accept http:// sinks on loopback addresses.'
const LONG_MESSAGE = `sink: ${'must match pattern "^https://.+$" '.repeat(12)}. ${ADVICE}`

const EXPECT_201 = { status: 201, contract: 'valid', dropped: false } as const

function reportWith(messages: string[]): RunReport {
  return {
    passed: 0,
    failed: 1,
    skipped: 0,
    bailed: false,
    durationMs: 5,
    files: [
      {
        source: 'events.yaml',
        scenarios: [
          {
            id: 'events',
            source: 'events.yaml',
            description: undefined,
            status: 'failed',
            problems: [],
            durationMs: 5,
            steps: [
              {
                index: 0,
                label: 'subscribe',
                status: 'failed',
                summary: 'POST /subscriptions → 400 (1 ms)',
                durationMs: 1,
                failure: { type: 'failure', messages },
              },
            ],
          },
        ],
      },
    ],
  }
}

test('keeps a long error body whole, with the advice at its end, in the failure and in JUnit', () => {
  const body = { status: 400, code: 'INVALID_ARGUMENT', message: LONG_MESSAGE }
  const problems = checkResponse(EXPECT_201, { status: 400, headers: {}, body })
  expect(problems).toEqual([`status: expected 201, got 400 ${JSON.stringify(body)}`])
  expect(toJUnitXml(reportWith(problems))).toContain(ADVICE)
})

test('cuts a huge error body in the middle, never losing its end', () => {
  const body = { message: `${'x'.repeat(5000)} ${ADVICE}` }
  const [problem = ''] = checkResponse(EXPECT_201, { status: 400, headers: {}, body })
  expect(problem.length).toBeLessThan(2100)
  expect(problem).toMatch(/^status: expected 201, got 400 \{"message":"xxx/)
  expect(problem).toMatch(/ …\(\d+ characters\)… /)
  expect(problem.endsWith(`${ADVICE}"}`)).toBe(true)
})
