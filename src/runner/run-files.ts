import { formatSpecProblem } from '../contract/index.js'
import { valuesOf } from './check-steps.js'
import type { ClientStep } from './client-step.js'
import { findExpressionRoots } from './expressions.js'
import { scenarioIdOf, type RunFile, type RunnableScenario } from './load-run-file.js'
import {
  runScenario,
  type RunContext,
  type ScenarioOutcome,
  type StepOutcome,
} from './run-scenario.js'
import { Sink } from './sink.js'

interface FileOutcome {
  readonly source: string
  readonly scenarios: readonly ScenarioOutcome[]
}

/** The whole run. Counts are scenarios: skipped ones (no steps, or a clock the target lacks) count as neither. */
export interface RunReport {
  readonly files: readonly FileOutcome[]
  readonly passed: number
  readonly failed: number
  readonly skipped: number
  /** True when --bail stopped the run before every scenario ran. */
  readonly bailed: boolean
  readonly durationMs: number
}

/** What a terminal (or a test) hears while a run goes on. */
export interface RunListener {
  fileStarted?(file: RunFile): void
  scenarioStarted?(scenario: RunnableScenario): void
  stepFinished?(scenario: RunnableScenario, outcome: StepOutcome): void
  /** A step still running reports how it is doing (long waits and polls). */
  stepProgress?(scenario: RunnableScenario, text: string): void
  scenarioFinished?(outcome: ScenarioOutcome): void
}

export interface RunOptions extends Omit<RunContext, 'sink' | 'onStep' | 'onProgress'> {
  readonly bail: boolean
  readonly listener?: RunListener
}

/** The one line a run ends with; CI logs and the tests look for it. */
export function summaryLine(report: Pick<RunReport, 'passed' | 'failed'>): string {
  return `${report.passed} passed, ${report.failed} failed`
}

/** A sink is started only for runs that subscribe, expect callbacks or mention ${sink.url}. */
function usesSink(steps: readonly ClientStep[]): boolean {
  if (steps.some((step) => step.kind === 'callback' || step.kind === 'subscribe')) return true
  const roots = findExpressionRoots(steps.map(valuesOf))
  return roots.ok && roots.value.includes('sink')
}

/**
 * Plays every scenario of every file, in order, against one target. A file that cannot be read
 * counts as one failed scenario named after it; the run goes on unless `bail` is set.
 */
export async function runFiles(files: readonly RunFile[], options: RunOptions): Promise<RunReport> {
  const started = performance.now()
  const needsSink = files.some((file) =>
    file.scenarios.some((scenario) => scenario.steps !== undefined && usesSink(scenario.steps)),
  )
  const sink = needsSink ? await Sink.start() : undefined
  const context: RunContext = {
    ...options,
    sink,
    onStep: (scenario, outcome) => options.listener?.stepFinished?.(scenario, outcome),
    onProgress: (scenario, text) => options.listener?.stepProgress?.(scenario, text),
  }
  const outcomes: FileOutcome[] = []
  let bailed = false
  try {
    for (const file of files) {
      if (bailed) break
      options.listener?.fileStarted?.(file)
      const scenarios: ScenarioOutcome[] = []
      outcomes.push({ source: file.source, scenarios })
      if (file.problems.length > 0) {
        const outcome: ScenarioOutcome = {
          id: scenarioIdOf(file.source),
          source: file.source,
          description: undefined,
          status: 'failed',
          steps: [],
          problems: file.problems.map(formatSpecProblem),
          durationMs: 0,
        }
        scenarios.push(outcome)
        options.listener?.scenarioFinished?.(outcome)
        bailed = options.bail
        continue
      }
      for (const scenario of file.scenarios) {
        options.listener?.scenarioStarted?.(scenario)
        const outcome = await runScenario(scenario, context)
        scenarios.push(outcome)
        options.listener?.scenarioFinished?.(outcome)
        if (outcome.status === 'failed' && options.bail) {
          bailed = true
          break
        }
      }
    }
  } finally {
    await sink?.close()
  }
  const all = outcomes.flatMap((file) => file.scenarios)
  return {
    files: outcomes,
    passed: all.filter((s) => s.status === 'passed').length,
    failed: all.filter((s) => s.status === 'failed').length,
    skipped: all.filter((s) => s.status === 'skipped').length,
    bailed,
    durationMs: Math.round(performance.now() - started),
  }
}
