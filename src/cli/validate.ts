import type { Command } from 'commander'
import path from 'node:path'
import {
  BUILT_IN_SCENARIOS_DIR,
  StartupError,
  createSimulator,
  faultTargetsOf,
  type CompileCache,
  type Simulator,
} from '../app/index.js'
import { validateFiles, type ServeVerdict } from '../runner/index.js'
import type { CommandIo } from './cli-io.js'
import { parseMebibytes } from './parse-options.js'

/** Exit codes: 0 no problem, 1 at least one problem (or nothing to check). */
const EXIT_PROBLEMS = 1

/**
 * What `callsim serve --spec <specFiles>` would do, found by building that very simulator (so
 * validate and serve cannot disagree on a file): its refusals, and the faces it would mount for
 * the fault checks; when it refuses, the built-in faces stand in for them.
 */
function serveVerdict(
  specFiles: readonly string[],
  cache: CompileCache,
  maxFileBytes?: number,
): ServeVerdict {
  const options = {
    clock: 'virtual',
    logLevel: 'silent',
    builtInScenarios: false,
    seed: 1,
    maxFileBytes,
  } as const
  let simulator: Simulator
  let problems: readonly string[] = []
  try {
    simulator = createSimulator({ ...options, specs: specFiles }, cache)
  } catch (error) {
    if (!(error instanceof StartupError)) throw error
    problems = error.problems
    simulator = createSimulator(options, cache)
  }
  simulator.dispose()
  return { problems, faultTargets: faultTargetsOf(simulator.faces) }
}

export function registerValidate(program: Command, io: CommandIo): void {
  program
    .command('validate')
    .description('check spec and scenario files without serving (docs/runner.md)')
    .argument(
      '<paths...>',
      'OpenAPI files, scenario files, or directories to search for .yaml/.yml/.json files',
    )
    .option(
      '--max-file-size <MiB>',
      'largest file read, as serve --max-file-size (default 5)',
      parseMebibytes,
    )
    .action((paths: string[], flags: { maxFileSize?: number }) => {
      // Shipped scenarios a given spec cannot express are set aside, as serve sets them aside.
      const shipped = path.resolve(BUILT_IN_SCENARIOS_DIR) + path.sep
      const report = validateFiles(paths, {
        serveVerdict: (specFiles) => serveVerdict(specFiles, io.compileCache, flags.maxFileSize),
        // The simulators serveVerdict builds use it too: each spec compiles once.
        cache: io.compileCache,
        maxFileBytes: flags.maxFileSize,
        isShipped: (source) => path.resolve(source).startsWith(shipped),
      })
      for (const source of report.skipped)
        io.stdout.write(`${source}: a JSON Schema, not a spec or scenario file; skipped\n`)
      for (const notice of report.notices) io.stdout.write(`${notice}\n`)
      const checked = report.specs + report.scenarios
      if (report.problems.length > 0) {
        io.stdout.write(
          `${report.problems.join('\n')}\n\n${report.problems.length} problem(s) in ${checked} file(s)\n`,
        )
        io.setExitCode(EXIT_PROBLEMS)
      } else if (checked === 0) {
        io.stderr.write(`error: no spec or scenario file found in ${paths.join(', ')}\n`)
        io.setExitCode(EXIT_PROBLEMS)
      } else {
        io.stdout.write(
          `${checked} file(s) OK (${report.specs} spec(s), ${report.scenarios} scenario file(s))\n`,
        )
      }
    })
}
