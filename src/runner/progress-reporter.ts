import type { RunListener } from './run-files.js'
import { NO_STEPS } from './run-scenario.js'

const COLORS = {
  green: '\u001b[32m',
  red: '\u001b[31m',
  dim: '\u001b[2m',
  reset: '\u001b[0m',
} as const

/**
 * Prints a line per step as the run goes: a mark, the step, what went over the wire, and on a
 * failure every message indented below it. Colours only on a terminal.
 */
export function createProgressReporter(write: (text: string) => void, color: boolean): RunListener {
  const paint = (name: keyof typeof COLORS, text: string): string =>
    color ? `${COLORS[name]}${text}${COLORS.reset}` : text
  return {
    fileStarted(file) {
      write(`${file.source}\n`)
    },
    scenarioStarted(scenario) {
      const steps = scenario.steps === undefined ? ' (no steps)' : ''
      write(`  ${scenario.id}${steps}\n`)
    },
    stepFinished(_scenario, outcome) {
      const mark =
        outcome.status === 'passed'
          ? paint('green', '✓')
          : outcome.status === 'failed'
            ? paint('red', '✗')
            : paint('dim', '-')
      const summary = outcome.summary ? `  ${paint('dim', outcome.summary)}` : ''
      const skipped = outcome.status === 'skipped' ? paint('dim', ' (skipped)') : ''
      write(`    ${mark} ${outcome.label}${summary}${skipped}\n`)
      for (const message of outcome.failure?.messages ?? [])
        write(`        ${paint('red', message)}\n`)
    },
    stepProgress(_scenario, text) {
      write(`      ${paint('dim', `… ${text}`)}\n`)
    },
    scenarioFinished(outcome) {
      for (const problem of outcome.problems) write(`    ${paint('red', '✗')} ${problem}\n`)
      if (outcome.status === 'failed') write(`  ${paint('red', `✗ ${outcome.id} failed`)}\n`)
      // A scenario without steps already said so when it started.
      if (outcome.status === 'skipped' && outcome.skipReason && outcome.skipReason !== NO_STEPS)
        write(`  ${paint('dim', `- ${outcome.id} skipped: ${outcome.skipReason}`)}\n`)
    },
  }
}
