import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { PACKAGE_ROOT } from '../runner/index.js'

/** Exit code of every usage error (bad or missing option, bad argument), as docs/runner.md says. */
export const EXIT_USAGE = 2

/**
 * The line printed after a usage error instead of the whole help: the error line says what is
 * wrong, this one where every option is explained.
 */
export function helpPointer(command: Command): string {
  const names: string[] = []
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name())
  return `Run '${names.join(' ')} --help' to see every option.`
}

/**
 * Stops a command with a usage error: "error: <message>", the pointer to --help, exit code 2.
 * Thrown as commander's own errors are, so every usage error ends the same way.
 */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: EXIT_USAGE, code: 'callsim.usage' })
}

/** The version in the package.json that sits beside dist/ and src/. */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {
    version: string
  }
  return manifest.version
}
