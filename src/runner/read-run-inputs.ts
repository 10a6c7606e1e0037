import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEFAULT_MAX_FILE_BYTES,
  fileSizeProblem,
  formatSpecProblem,
  loadSpec,
  type CompileCache,
  type CompiledSpec,
} from '../contract/index.js'

// The runner is a shell like app/ and cli/: it reads the user's files and callsim's built-in
// specs here, and hands text to the contract layer, which never sees a path.

/** The package root: src/runner, dist/runner and the bundled dist/bin all sit two levels below it. */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))

const RUN_FILE = /\.(ya?ml|json)$/i

/** How a file is named in messages: relative to the working directory, as the user typed it. */
export function sourceName(file: string): string {
  return path.relative(process.cwd(), file) || file
}

/** Reads a file, or says in one line why it cannot. */
export function readText(
  file: string,
  maxBytes: number = DEFAULT_MAX_FILE_BYTES,
): { ok: true; text: string } | { ok: false; message: string } {
  try {
    // Checked before a byte is read, so a huge file is never parsed (docs/file-limits.md).
    const tooLarge = fileSizeProblem(statSync(file).size, maxBytes)
    if (tooLarge) return { ok: false, message: `${sourceName(file)}: ${tooLarge}` }
    return { ok: true, text: readFileSync(file, 'utf8') }
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : ''
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'EACCES'
            ? 'permission denied'
            : String(error)
    return { ok: false, message: `${sourceName(file)}: cannot be read: ${reason}` }
  }
}

/**
 * Expands the paths a user gave into files: a directory contributes every .yaml, .yml and .json
 * file below it, in name order, so runs are repeatable. A path that does not exist is a problem.
 */
export function collectFiles(paths: readonly string[]): { files: string[]; missing: string[] } {
  const files: string[] = []
  const missing: string[] = []
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const full = path.join(directory, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.isFile() && RUN_FILE.test(entry.name)) files.push(full)
    }
  }
  for (const given of paths) {
    let stat
    try {
      stat = statSync(given)
    } catch {
      missing.push(given)
      continue
    }
    if (stat.isDirectory()) walk(given)
    else files.push(given)
  }
  return { files: [...new Set(files)], missing }
}

/** The JSON Schema of client steps, published as spec/callsim-steps.schema.json. */
export function readStepsSchema(): object {
  return JSON.parse(
    readFileSync(path.join(PACKAGE_ROOT, 'spec', 'callsim-steps.schema.json'), 'utf8'),
  ) as object
}

/** The JSON Schema of scenario files, published as spec/callsim-scenario.schema.json. */
export function readScenarioSchema(): object {
  return JSON.parse(
    readFileSync(path.join(PACKAGE_ROOT, 'spec', 'callsim-scenario.schema.json'), 'utf8'),
  ) as object
}

/** Loads and compiles spec files through `cache`; every problem of every file is reported. */
export function loadSpecFiles(
  files: readonly string[],
  cache: CompileCache,
): {
  specs: CompiledSpec[]
  problems: string[]
} {
  const specs: CompiledSpec[] = []
  const problems: string[] = []
  for (const file of files) {
    const read = readText(file)
    if (!read.ok) {
      problems.push(read.message)
      continue
    }
    const loaded = loadSpec(read.text, sourceName(file), cache)
    if (loaded.ok) specs.push(loaded.value)
    else problems.push(...loaded.error.map(formatSpecProblem))
  }
  return { specs, problems }
}

/** Every OpenAPI file callsim ships under spec/ (its faces and its control API). */
function builtInSpecFiles(): string[] {
  const specDirectory = path.join(PACKAGE_ROOT, 'spec')
  // spec/releases/ holds official CAMARA releases to serve with --spec, not the built-in faces.
  const releases = path.join(specDirectory, 'releases') + path.sep
  return collectFiles([specDirectory]).files.filter(
    (file) => /\.ya?ml$/i.test(file) && !path.resolve(file).startsWith(releases),
  )
}

/**
 * The built-in specs, compiled once per `cache` (a built callsim's process cache takes them
 * from dist/spec-cache, as serve does).
 */
export function loadBuiltInSpecs(cache: CompileCache): CompiledSpec[] {
  const loaded = loadSpecFiles(builtInSpecFiles(), cache)
  // A broken built-in spec is a callsim bug that the test suite catches; name it anyway.
  if (loaded.problems.length > 0)
    throw new Error(`callsim's built-in specs do not load:\n${loaded.problems.join('\n')}`)
  return loaded.specs
}
