import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { formatSpecProblem, type SpecProblem } from '../contract/index.js'

/** The package root: src/app, dist/app and the bundled dist/bin all sit two levels below it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export function builtInPath(relative: string): string {
  return path.join(PACKAGE_ROOT, relative)
}

/** Reads a user file with a message that names it when it cannot. */
export function readSource(file: string): { text: string; source: string } {
  try {
    return { text: readFileSync(file, 'utf8'), source: path.relative(process.cwd(), file) || file }
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'no such file'
        : String(error)
    throw new StartupError([`Failed to read ${file}: ${reason}.`])
  }
}

/** A problem at start-up: a line about an option or a path, or a place in a user file. */
export type StartupProblem = string | SpecProblem

export function formatStartupProblem(problem: StartupProblem): string {
  return typeof problem === 'string' ? problem : formatSpecProblem(problem)
}

/** A problem with the user's files or options: start-up stops and prints every line. */
export class StartupError extends Error {
  override readonly name = 'StartupError'
  /** Every problem, one printable line each. */
  readonly problems: readonly string[]
  /** The problems that name a place in a user file, as data (`callsim run` reports them per file). */
  readonly fileProblems: readonly SpecProblem[]

  constructor(problems: readonly StartupProblem[]) {
    const lines = problems.map(formatStartupProblem)
    super(lines.join('\n'))
    this.problems = lines
    this.fileProblems = problems.filter((problem) => typeof problem !== 'string')
  }
}
