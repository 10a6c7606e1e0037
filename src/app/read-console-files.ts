import { readFileSync } from 'node:fs'
import { CONSOLE_FILES } from '../console/index.js'
import { builtInPath } from './read-sources.js'

/**
 * Reads the console's built files (dist/console-page) on first use and keeps them: start-up pays
 * nothing for a console nobody opens. A file the build did not write reads as undefined.
 */
export function createConsoleFileReader(): (file: string) => Buffer | undefined {
  const cache = new Map<string, Buffer | undefined>()
  return (file) => {
    if (!Object.hasOwn(CONSOLE_FILES, file)) return undefined
    if (!cache.has(file)) {
      try {
        cache.set(file, readFileSync(builtInPath(`dist/console-page/${file}`)))
      } catch {
        cache.set(file, undefined)
      }
    }
    return cache.get(file)
  }
}
