import type { IncomingMessage } from 'node:http'

/** How much of a refused body callsim reads and throws away, at most, before it answers anyway. */
export interface DrainLimits {
  readonly bytes: number
  readonly ms: number
}

/** 16 MiB or 5 s: an upload on any working link ends well within both. */
export const DEFAULT_DRAIN_LIMITS: DrainLimits = { bytes: 16 * 1024 * 1024, ms: 5_000 }

/**
 * Answers a request whose body callsim refuses (413) once the client has finished sending it,
 * discarding what still arrives. The answer closes the connection, and closing a socket that
 * still has unread data makes the kernel reset it: a client still uploading then loses the 413
 * it had not read yet and reports a bare connection error instead (RFC 9112 §9.6 asks servers
 * for a staged close for this reason). Past the limits callsim answers and closes anyway.
 */
export function drainThenAnswer(
  req: IncomingMessage,
  limits: DrainLimits,
  answer: () => void,
): void {
  let discarded = 0
  let answered = false
  const finish = (): void => {
    if (answered) return
    answered = true
    clearTimeout(timer)
    req.off('data', count)
    answer()
  }
  const count = (chunk: Buffer): void => {
    discarded += chunk.length
    if (discarded > limits.bytes) finish()
  }
  const timer = setTimeout(finish, limits.ms)
  timer.unref()
  req.on('data', count)
  req.once('end', finish)
  req.once('close', finish)
  req.once('error', finish)
  req.resume()
}
