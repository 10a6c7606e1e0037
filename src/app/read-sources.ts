import { readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import {
  DEFAULT_MAX_FILE_BYTES,
  fileSizeProblem,
  formatSpecProblem,
  type SpecProblem,
} from '../contract/index.js'
import { err, ok, type Result } from '../core/index.js'

/** The package root: src/app, dist/app and the bundled dist/bin all sit two levels below it. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export function builtInPath(relative: string): string {
  return path.join(PACKAGE_ROOT, relative)
}

/** A file as messages name it: relative to the working directory when it is below it. */
export function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative === '' || relative.startsWith('..') ? file : relative
}

/**
 * Reads a text file of at most `maxBytes` (docs/file-limits.md): the size is checked before a
 * byte is read, so a huge file is never parsed. The error names the file and says why.
 */
export function readTextFile(file: string, maxBytes: number): Result<string, string> {
  try {
    const tooLarge = fileSizeProblem(statSync(file).size, maxBytes)
    if (tooLarge) return err(`${displayName(file)}: ${tooLarge}.`)
    return ok(readFileSync(file, 'utf8'))
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'no such file'
        : error instanceof Error
          ? error.message
          : String(error)
    return err(`Failed to read ${displayName(file)}: ${reason}.`)
  }
}

/** Reads a user file with a message that names it when it cannot. */
export function readSource(
  file: string,
  maxBytes = DEFAULT_MAX_FILE_BYTES,
): { text: string; source: string } {
  const read = readTextFile(file, maxBytes)
  if (!read.ok) throw new StartupError([read.error])
  return { text: read.value, source: path.relative(process.cwd(), file) || file }
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
