import type { RunReport } from './run-files.js'
import type { ScenarioOutcome } from './run-scenario.js'

/** Escapes text for XML and drops the control characters XML 1.0 cannot carry at all. */
function escapeXml(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- these are exactly the characters XML forbids
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  )
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3)

/** `scenarios/lifecycle/busy-callee.yaml` → `scenarios.lifecycle.busy-callee`, as JUnit viewers group by class. */
function classNameOf(source: string): string {
  return source
    .replace(/\.(ya?ml|json)$/i, '')
    .replace(/^[./\\]+/, '')
    .replace(/[\\/]/g, '.')
}

/** Every line a failed scenario has to say: bad steps, then each step with its messages. */
function describeScenario(outcome: ScenarioOutcome): string {
  const lines = [...outcome.problems]
  for (const step of outcome.steps) {
    const mark = step.status === 'passed' ? 'ok' : step.status === 'skipped' ? 'skipped' : 'FAILED'
    lines.push(`${mark}  ${step.label}${step.summary ? `  ${step.summary}` : ''}`)
    for (const message of step.failure?.messages ?? []) lines.push(`      ${message}`)
  }
  return lines.join('\n')
}

function failureOf(
  outcome: ScenarioOutcome,
): { element: 'failure' | 'error'; type: string; message: string } | undefined {
  if (outcome.status !== 'failed') return undefined
  if (outcome.problems.length > 0)
    return {
      element: 'error',
      type: 'invalid-file',
      message: outcome.problems[0] ?? 'invalid file',
    }
  const step = outcome.steps.find((candidate) => candidate.status === 'failed')
  const first = step?.failure?.messages[0] ?? 'failed'
  const type = step?.failure?.type ?? 'failure'
  return {
    element: type,
    type: type === 'error' ? 'runner-error' : 'expectation',
    message: step ? `${step.label}: ${first}` : first,
  }
}

function testcase(outcome: ScenarioOutcome): string {
  const attributes = `name="${escapeXml(outcome.id)}" classname="${escapeXml(classNameOf(outcome.source))}" file="${escapeXml(outcome.source)}" time="${seconds(outcome.durationMs)}"`
  if (outcome.status === 'skipped')
    return `    <testcase ${attributes}>\n      <skipped message="${escapeXml(outcome.skipReason ?? 'not run')}"/>\n    </testcase>`
  const failure = failureOf(outcome)
  const log = describeScenario(outcome)
  const parts = [`    <testcase ${attributes}>`]
  if (failure)
    parts.push(
      `      <${failure.element} message="${escapeXml(failure.message)}" type="${failure.type}">${escapeXml(log)}</${failure.element}>`,
    )
  else if (log !== '') parts.push(`      <system-out>${escapeXml(log)}</system-out>`)
  parts.push('    </testcase>')
  return parts.join('\n')
}

/**
 * JUnit XML as CI systems render it: one testsuite per file, one testcase per scenario, a
 * `failure` when the target missed an expectation or broke its contract, an `error` when the
 * runner could not check (target unreachable, bad file).
 */
export function toJUnitXml(report: RunReport): string {
  const count = (outcomes: readonly ScenarioOutcome[]) => ({
    tests: outcomes.length,
    failures: outcomes.filter((o) => failureOf(o)?.element === 'failure').length,
    errors: outcomes.filter((o) => failureOf(o)?.element === 'error').length,
    skipped: outcomes.filter((o) => o.status === 'skipped').length,
    time: seconds(outcomes.reduce((total, o) => total + o.durationMs, 0)),
  })
  const all = count(report.files.flatMap((file) => file.scenarios))
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="callsim run" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${seconds(report.durationMs)}">`,
  ]
  for (const file of report.files) {
    const totals = count(file.scenarios)
    lines.push(
      `  <testsuite name="${escapeXml(file.source)}" tests="${totals.tests}" failures="${totals.failures}" errors="${totals.errors}" skipped="${totals.skipped}" time="${totals.time}">`,
      ...file.scenarios.map(testcase),
      '  </testsuite>',
    )
  }
  lines.push('</testsuites>', '')
  return lines.join('\n')
}
