import path from 'node:path'
import {
  StartupError,
  createSimulator,
  formatStartupProblem,
  type RunningSimulator,
  type CompileCache,
  type Simulator,
} from '../app/index.js'
import { PACKAGE_ROOT, sourceName, type RunFile } from '../runner/index.js'
import type { CliOutput } from './cli-io.js'

/** What an in-process callsim needs to play the run: its URL, and the files it refused, with why. */
export interface InProcess {
  readonly running: RunningSimulator
  /** Run file (as sourceName names it) → the callsim's reasons for refusing it. */
  readonly refused: ReadonlyMap<string, readonly RunFile['problems'][number][]>
}

/**
 * The in-process callsim's reasons for refusing a file, as the run reports a file's problems.
 * A place in another file (the same id twice names both) is reported as a line of its own.
 */
function refusalsOf(file: string, error: StartupError): RunFile['problems'][number][] {
  const source = sourceName(file)
  const why = ' (the in-process callsim refuses the file)'
  const located = new Set(error.fileProblems.map(formatStartupProblem))
  const lines = error.problems
    .filter((line) => !located.has(line))
    .map((line) => ({ source, pointer: '', message: `${line}${why}` }))
  const inFile = error.fileProblems.map((problem) =>
    path.resolve(problem.source) === path.resolve(file)
      ? { ...problem, source, message: `${problem.message}${why}` }
      : { source, pointer: '', message: `${formatStartupProblem(problem)}${why}` },
  )
  return [...lines, ...inFile]
}

/**
 * Without --target the run gets its own callsim: virtual clock (waits cost nothing), fixed seed,
 * the runner's http:// sink on 127.0.0.1 allowed, the shipped scenarios, and the run's own files,
 * so their scenarios answer to their ids. A file the callsim refuses is left out and reported,
 * and the others still run.
 */
export async function startInProcess(
  runFiles: readonly string[],
  flags: { readonly seed: number; readonly spec?: readonly string[] },
  stdout: CliOutput,
  cache: CompileCache,
): Promise<InProcess | string> {
  const options = {
    host: '127.0.0.1',
    port: 0,
    clock: 'virtual',
    seed: flags.seed,
    logLevel: 'silent',
    specs: flags.spec ?? [],
    allowHttpSinks: true,
  } as const
  const shipped = path.join(PACKAGE_ROOT, 'scenarios')
  // The shipped files are loaded anyway; naming them again would clash on their ids.
  const own = runFiles.filter((file) => !path.resolve(file).startsWith(`${shipped}${path.sep}`))
  const attempt = (files: readonly string[]): Simulator | StartupError => {
    try {
      return createSimulator({ ...options, scenarioPaths: files }, cache)
    } catch (error) {
      if (error instanceof StartupError) return error
      throw error
    }
  }

  let simulator = attempt(own)
  const refused = new Map<string, RunFile['problems'][number][]>()
  if (simulator instanceof StartupError) {
    // Find the files at fault one by one (this costs a simulator each, but only on this path).
    const accepted: string[] = []
    for (const file of own) {
      const alone = attempt([file])
      if (alone instanceof StartupError) refused.set(sourceName(file), refusalsOf(file, alone))
      else {
        alone.dispose()
        accepted.push(file)
      }
    }
    simulator = attempt(accepted)
    if (simulator instanceof StartupError) {
      // The accepted files clash with each other (the same id twice): run with none of them.
      for (const file of own)
        if (!refused.has(sourceName(file)))
          refused.set(sourceName(file), refusalsOf(file, simulator))
      simulator = attempt([])
    }
    if (simulator instanceof StartupError) {
      return `the in-process callsim could not start:\n${simulator.problems.map((p) => `  - ${p}`).join('\n')}`
    }
  }
  const running = await simulator.listen()
  stdout.write(
    `callsim run: in-process callsim at ${running.url} (seed ${simulator.seed}, virtual clock)\n`,
  )
  return { running, refused }
}
