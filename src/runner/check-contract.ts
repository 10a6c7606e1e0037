import { validateResponse, type CompiledOperation, type Violation } from '../contract/index.js'
import type { ExchangeRecord } from './check-expectation.js'
import type { ResponseExpectation } from './client-step.js'
import { readPath } from './expressions.js'
import type { HttpExchange } from './http-client.js'
import { ERROR_BODY_LENGTH, shortenMiddle } from './shorten-middle.js'

/** One line per violation: the JSON path, the rule and the operation's response it broke. */
export function formatViolation(violation: Violation): string {
  const status = violation.status === undefined ? '' : ` ${violation.status}`
  return `contract: ${violation.path} breaks the rule "${violation.keyword}" of ${violation.operationId}${status}: ${violation.message}`
}

function isJson(contentType: string | undefined): boolean {
  const type = contentType?.split(';', 1)[0]?.trim().toLowerCase()
  return (
    type === 'application/json' || (type !== undefined && /^application\/[\w.-]+\+json$/.test(type))
  )
}

/**
 * Turns what came back into the record steps and expressions see: the body parsed as JSON when
 * its type says JSON. A body that says JSON and is not is a violation (rule `json`).
 */
export function toRecord(
  exchange: HttpExchange,
  operationId: string,
): { record: ExchangeRecord; parseViolation: Violation | undefined } {
  const contentType = exchange.headers['content-type']
  const record = {
    status: exchange.status,
    headers: exchange.headers,
    body: exchange.text === '' ? undefined : (exchange.text as unknown),
  }
  if (exchange.text === '' || !isJson(contentType)) return { record, parseViolation: undefined }
  try {
    return {
      record: { ...record, body: JSON.parse(exchange.text) as unknown },
      parseViolation: undefined,
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return {
      record,
      parseViolation: {
        direction: 'response',
        operationId,
        status: exchange.status,
        location: 'body',
        path: 'body',
        keyword: 'json',
        message: `the body is not valid JSON although Content-Type says ${contentType ?? ''} (${reason})`,
      },
    }
  }
}

/** Reads a violation's path (`body.items[0].sink`) from a record. */
function readViolationPath(record: ExchangeRecord, path: string): unknown {
  const segments = path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== '')
  return readPath(
    record,
    segments.map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
  ).value
}

/**
 * Every way a response breaks the operation's declared responses. `sinkUrl` is the run's own
 * sink: it is http:// on 127.0.0.1, which a callsim accepts with --allow-http-sinks although the
 * spec's pattern demands https, so its echo in a subscription is not the target's fault.
 */
function findViolations(
  operation: CompiledOperation,
  record: ExchangeRecord,
  parseViolation: Violation | undefined,
  sinkUrl: string | undefined,
): Violation[] {
  const declared = validateResponse(operation, {
    status: record.status ?? 0,
    contentType: record.headers['content-type'],
    body: parseViolation ? undefined : record.body,
    headers: record.headers,
  })
  // An unparsable body is reported once, as such, not again as "declares a body, but none was sent".
  const violations = parseViolation
    ? [parseViolation, ...declared.filter((v) => v.keyword !== 'required-body')]
    : declared
  return violations.filter(
    (violation) =>
      !(
        sinkUrl !== undefined &&
        violation.keyword === 'pattern' &&
        /(^|\.)sink$/.test(violation.path) &&
        readViolationPath(record, violation.path) === sinkUrl
      ),
  )
}

function quoteBody(text: string): string {
  if (text === '') return 'the response body is empty'
  return `the response body: ${shortenMiddle(text, ERROR_BODY_LENGTH)}`
}

/**
 * Whether a response keeps the step's `contract` expectation: undefined when it does, else the
 * messages, and `final` when a poll must not try again (the target broke the spec).
 */
export function checkContract(
  contract: ResponseExpectation['contract'],
  operation: CompiledOperation,
  exchange: { readonly record: ExchangeRecord; readonly text: string },
  parseViolation: Violation | undefined,
  sinkUrl: string | undefined,
): { final: boolean; messages: string[] } | undefined {
  if (contract === 'any') return undefined
  const violations = findViolations(operation, exchange.record, parseViolation, sinkUrl)
  if (contract === 'valid' && violations.length > 0) {
    return { final: true, messages: [...violations.map(formatViolation), quoteBody(exchange.text)] }
  }
  if (contract === 'violated' && violations.length === 0) {
    return {
      final: false,
      messages: [
        `contract: expected the response to break the spec of ${operation.operationId}, but it honours it`,
      ],
    }
  }
  return undefined
}
