/** Plays the client steps of scenario files against a callsim or a real provider, and reports. */
export { buildRequest, type OutgoingRequest } from './build-request.js'
export { checkResponse, type ExchangeRecord } from './check-expectation.js'
export { checkSteps } from './check-steps.js'
export {
  createScenarioChecker,
  type ScenarioChecker,
  type ScenarioFileText,
} from './check-scenario-files.js'
export {
  createStepsValidator,
  describeStep,
  parseClientSteps,
  type CallbackStep,
  type ClientStep,
  type RequestStep,
  type ResponseExpectation,
  type StepAuth,
  type WaitStep,
} from './client-steps.js'
export {
  evaluate,
  formatPath,
  parsePath,
  readPath,
  resolveTemplate,
  type ExpressionScope,
} from './expressions.js'
export {
  describeTransportFailure,
  sendHttp,
  type HttpExchange,
  type TransportFailure,
} from './http-client.js'
export { toJUnitXml } from './junit-report.js'
export { loadRunFile, scenarioIdOf, type RunFile, type RunnableScenario } from './load-run-file.js'
export { checkMatcher, checkPaths, matchSubset, type Matcher } from './match-subset.js'
export { OperationCatalog, type CatalogEntry } from './operation-catalog.js'
export { createProgressReporter } from './progress-reporter.js'
export {
  PACKAGE_ROOT,
  builtInSpecFiles,
  collectFiles,
  loadBuiltInSpecs,
  loadSpecFiles,
  readScenarioSchema,
  readStepsSchema,
  readText,
  sourceName,
} from './read-run-inputs.js'
export {
  runFiles,
  summaryLine,
  type FileOutcome,
  type RunListener,
  type RunOptions,
  type RunReport,
} from './run-files.js'
export {
  MAX_REAL_WAIT_MS,
  runScenario,
  type RunContext,
  type ScenarioOutcome,
  type StepOutcome,
} from './run-scenario.js'
export { Sink, type ReceivedCallback } from './sink.js'
export { validateFiles, type ServeVerdict, type ValidationReport } from './validate-files.js'
export { CONTROL_BASE_PATH, Target, type TargetKind } from './target.js'
export {
  DEFAULT_SUBSCRIBER,
  createCommandTokenSource,
  createFixedTokenSource,
  createTargetTokenSource,
  type TokenSource,
} from './token-source.js'

import type { CompileCache } from '../contract/index.js'
import { createStepsValidator } from './client-steps.js'
import { loadRunFile, type RunFile } from './load-run-file.js'
import { readStepsSchema, readText, sourceName } from './read-run-inputs.js'

/**
 * Reads scenario files for a run; a file that cannot be read becomes a file with a problem, so
 * the run reports it as a failed scenario and goes on.
 * @example readRunFiles(collectFiles(['scenarios/']).files, new CompileCache())
 */
export function readRunFiles(files: readonly string[], cache: CompileCache): RunFile[] {
  const validate = createStepsValidator(readStepsSchema(), cache)
  return files.map((file) => {
    const source = sourceName(file)
    const read = readText(file)
    if (!read.ok)
      return {
        source,
        scenarios: [],
        problems: [{ source, pointer: '', message: read.message.slice(source.length + 2) }],
      }
    return loadRunFile(read.text, source, validate, cache)
  })
}
