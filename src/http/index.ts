/** The only Express code: the request pipeline that puts faces on HTTP. */
export { createHttpApp, type HttpAppOptions } from './create-http-app.js'
export { createExpressServer } from './create-http-server.js'
export { Journal, type JournalEntry } from './journal.js'
export { silentLogger, type LogLevel, type Logger } from './logger.js'
export type { TokenVerifier, Verification } from './middleware/authenticate.js'
export { DEFAULT_BODY_LIMIT_BYTES } from './middleware/parse-body.js'
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.js'
