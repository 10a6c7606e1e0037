import type { Violation } from '../contract/index.js'
import type { JournalEntry, Logger, RecordedExchange } from '../http/index.js'
import type { DeliveryRecord } from '../notify/index.js'
import type { AttributedViolation } from '../proxy/index.js'

/** The fields of a request line, which the pretty format turns into one sentence. */
function requestFields(entry: RecordedExchange, violations: number) {
  return {
    kind: 'request',
    method: entry.method,
    path: entry.path,
    status: entry.status,
    ms: entry.durationMs,
    face: entry.face,
    operationId: entry.operationId,
    scenario: entry.scenarioId,
    violations,
    correlator: entry.correlator,
  }
}

/**
 * One line per finished request (`--log-level info`): method, path, status, milliseconds,
 * governing scenario and violation count. A request that broke the spec, or that a scenario
 * fault hit, is logged at warn with the reasons (at error when callsim's own response broke
 * it), so `--log-level warn` shows only those. Undefined when even warn is off: the journal
 * then calls nothing per request.
 */
export function requestLogLine(logger: Logger): ((entry: RecordedExchange) => void) | undefined {
  if (!logger.isLevelEnabled('warn')) return undefined
  const info = logger.isLevelEnabled('info')
  return (entry) => {
    const violations = entry.requestViolations.length + entry.responseViolations.length
    const notable = violations > 0 || entry.fault !== undefined
    if (!notable && !info) return
    const fields = requestFields(entry, violations)
    if (!notable) {
      logger.info(fields, 'request')
      return
    }
    const detail = {
      ...fields,
      fault: entry.fault,
      reasons: [...entry.requestViolations, ...entry.responseViolations].map(describe),
    }
    // A response that breaks callsim's own spec is a callsim bug; the rest is the client's
    // request or a scenario's doing.
    if (entry.responseViolations.length > 0) logger.error(detail, 'request')
    else logger.warn(detail, 'request')
  }
}

/**
 * `callsim proxy`'s line per exchange or relayed callback, in the shape of serve's, each reason
 * led by the side at fault. A provider that broke its spec is logged at error, a client that
 * broke it at warn, a clean exchange at info.
 */
export function proxyLogLine(
  logger: Logger,
): (entry: Omit<JournalEntry, 'seq'>, violations: readonly AttributedViolation[]) => void {
  return (entry, violations) => {
    const provider = violations.some((v) => v.side === 'provider')
    const level = provider ? 'error' : violations.length > 0 ? 'warn' : 'info'
    if (!logger.isLevelEnabled(level)) return
    const fields = requestFields(entry, violations.length)
    if (violations.length === 0) {
      logger.info(fields, 'request')
      return
    }
    const reasons = violations.map((v) => `${v.side} broke the spec: ${describe(v)}`)
    logger[level]({ ...fields, reasons }, 'request')
  }
}

function describe(violation: Violation): string {
  return `${violation.direction} ${violation.path}: ${violation.message}`
}

/** A delivery that did not reach its sink, at warn with the sink's answer or the error. */
export function logDeliveryFailure(logger: Logger, record: DeliveryRecord): void {
  if (record.result === 'delivered') return
  logger.warn(
    {
      kind: 'delivery',
      result: record.result,
      eventType: record.eventType,
      subscriptionId: record.subscriptionId,
      sink: record.sink,
      attempt: record.attempt,
      status: record.status,
      reason: record.error,
      nextAttemptAt: record.nextAttemptAt,
    },
    'event delivery failed',
  )
}
