import type { CallbackExpectation, ResponseExpectation } from './client-step.js'
import { checkMatcher, checkPaths, matchSubset, type Matcher } from './match-subset.js'
import { ERROR_BODY_LENGTH, shortenMiddle } from './shorten-middle.js'

/** A response or a received callback as steps and expressions see it. */
export interface ExchangeRecord {
  readonly status?: number
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  /** How long the answer took: real ms, or virtual ms advanced while it was pending. */
  readonly latencyMs?: number
}

function checkHeaders(
  record: ExchangeRecord,
  headers: Readonly<Record<string, Matcher>> | undefined,
): string[] {
  const problems: string[] = []
  for (const [name, matcher] of Object.entries(headers ?? {})) {
    const lower = name.toLowerCase()
    const found = Object.prototype.hasOwnProperty.call(record.headers, lower)
    const problem = checkMatcher(`headers.${lower}`, matcher, found, record.headers[lower])
    if (problem !== undefined) problems.push(problem)
  }
  return problems
}

/** Every way a response misses its expectation (status, headers, body subset, JSON paths). */
export function checkResponse(
  expect: ResponseExpectation | CallbackExpectation | undefined,
  record: ExchangeRecord,
): string[] {
  if (!expect) return []
  const problems: string[] = []
  if ('status' in expect && expect.status !== undefined) {
    const allowed = Array.isArray(expect.status) ? expect.status : [expect.status]
    if (!allowed.includes(record.status)) {
      const summary =
        typeof record.body === 'object' && record.body !== null
          ? ` ${shortenMiddle(JSON.stringify(record.body), ERROR_BODY_LENGTH)}`
          : ''
      problems.push(
        `status: expected ${allowed.join(' or ')}, got ${String(record.status)}${summary}`,
      )
    }
  }
  problems.push(...checkHeaders(record, expect.headers))
  if ('body' in expect && expect.body !== undefined)
    problems.push(...matchSubset(expect.body, record.body, ['body']))
  if (expect.paths) problems.push(...checkPaths(record, expect.paths))
  if ('latency' in expect && expect.latency && record.latencyMs !== undefined) {
    const { atLeastMs, atMostMs } = expect.latency
    if (atLeastMs !== undefined && record.latencyMs < atLeastMs)
      problems.push(
        `latency: expected at least ${atLeastMs} ms, the answer took ${record.latencyMs} ms`,
      )
    if (atMostMs !== undefined && record.latencyMs > atMostMs)
      problems.push(
        `latency: expected at most ${atMostMs} ms, the answer took ${record.latencyMs} ms`,
      )
  }
  return problems
}
