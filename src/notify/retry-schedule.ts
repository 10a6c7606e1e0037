/** How often and how patiently callsim retries a delivery that failed for a temporary reason. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  readonly maxAttempts: number
  readonly initialDelayMs: number
  readonly factor: number
  /** No single wait is longer than this. */
  readonly maxDelayMs: number
}

/** 5 attempts: the first at once, then after 1 s, 2 s, 4 s and 8 s (15 s in all). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialDelayMs: 1000,
  factor: 2,
  maxDelayMs: 60_000,
}

/**
 * The wait before the next attempt after `failedAttempts` attempts failed, or undefined when
 * none is left. Bounded exponential backoff without jitter: jitter spreads the load of many
 * clients on one server, but callsim is one sender per sink and must repeat under a seed.
 */
export function retryDelay(
  failedAttempts: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number | undefined {
  if (
    !Number.isInteger(failedAttempts) ||
    failedAttempts < 1 ||
    failedAttempts >= policy.maxAttempts
  )
    return undefined
  return Math.min(policy.initialDelayMs * policy.factor ** (failedAttempts - 1), policy.maxDelayMs)
}

/** Every wait of the policy in order, e.g. [1000, 2000, 4000, 8000]. */
export function retrySchedule(policy: RetryPolicy = DEFAULT_RETRY_POLICY): number[] {
  const delays: number[] = []
  for (let failed = 1; ; failed += 1) {
    const delay = retryDelay(failed, policy)
    if (delay === undefined) return delays
    delays.push(delay)
  }
}
