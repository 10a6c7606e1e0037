/** Plays the client steps of scenario files against a callsim or a real provider, and reports. */
export { checkResponse } from './check-expectation.js'
export { createStepsValidator } from './client-steps.js'
export { toJUnitXml } from './junit-report.js'
export { loadRunFile, type RunFile } from './load-run-file.js'
export { OperationCatalog } from './operation-catalog.js'
export { createProgressReporter } from './progress-reporter.js'
export {
  PACKAGE_ROOT,
  collectFiles,
  loadBuiltInSpecs,
  loadSpecFiles,
  readStepsSchema,
  sourceName,
} from './read-run-inputs.js'
export { runFiles, summaryLine, type RunReport } from './run-files.js'
export { MAX_REAL_WAIT_MS } from './run-scenario.js'
export { validateFiles, type ServeVerdict } from './validate-files.js'
export { Target } from './target.js'
export {
  createCommandTokenSource,
  createFixedTokenSource,
  createTargetTokenSource,
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
