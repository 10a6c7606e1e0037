/** The only Express code: the request pipeline that puts faces on HTTP. */
export { createHttpApp } from './create-http-app.js'
export { createExpressServer } from './create-http-server.js'
export { Journal, type JournalEntry, type RecordedExchange } from './journal.js'
export { silentLogger, type Logger } from './logger.js'
export type { TokenVerifier, Verification } from './middleware/authenticate.js'
export { DEFAULT_BODY_LIMIT_BYTES } from './middleware/parse-body.js'
export { DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.js'
/** Pieces a shell beside http/ (callsim proxy) answers requests with as serve does. */
export { drainThenAnswer, type DrainLimits } from './drain-then-answer.js'
export { faceFor, orderFaces } from './middleware/route.js'
export { readCorrelator } from './middleware/correlator.js'
export { redactedUrl } from './redacted-url.js'
