/** The levels callsim logs at, quietest last; `silent` logs nothing. */
type LogLevel = 'debug' | 'info' | 'warn' | 'error'

/** The slice of a structured logger (pino's shape) the shells need. */
export interface Logger {
  debug(fields: object, message: string): void
  info(fields: object, message: string): void
  warn(fields: object, message: string): void
  error(fields: object, message: string): void
  /** Whether a line at `level` is written; callers skip building lines nobody reads. */
  isLevelEnabled(level: LogLevel): boolean
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  isLevelEnabled: () => false,
}
