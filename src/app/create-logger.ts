import { createRequire } from 'node:module'
import type pino from 'pino'
import { silentLogger, type Logger } from '../http/index.js'
import type { SimulatorOptions } from './options.js'

const requireModule = createRequire(import.meta.url)

/**
 * callsim's structured log (pino, JSON lines on stdout). pino is loaded with the first line
 * logged: a start-up logs nothing, and loading it cost ~30 ms of every start
 * (docs/performance.md). `silent` never loads it.
 */
export function createLogger(level: SimulatorOptions['logLevel']): Logger {
  if (level === 'silent') return silentLogger
  let logger: Logger | undefined
  const get = (): Logger => {
    logger ??= (requireModule('pino') as typeof pino)({ level, base: undefined })
    return logger
  }
  return {
    info: (fields, message) => get().info(fields, message),
    warn: (fields, message) => get().warn(fields, message),
    error: (fields, message) => get().error(fields, message),
  }
}
