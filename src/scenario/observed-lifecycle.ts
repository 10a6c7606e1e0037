import { CALL_STATUSES, TERMINAL_STATUSES } from '../core/index.js'
import type { ObservedCallback } from './observation.js'
import { CALL_ID_NAMES, type Prepared } from './prepare-observations.js'
import { formatMs, isSuccess, member, oneLine, stringMember } from './recording-values.js'

/** The far end's part of a recorded call: the status changes its own requests do not explain. */

/** Operations by which the client ends a call: what follows is not the far end's doing. */
const CALL_ENDING = new Set(['deleteSessionById', 'endCall', 'endCallJsonp'])
/** The statuses a lifecycle step can report: every one but Initial, which a call starts in. */
const LIFECYCLE_STATUSES: ReadonlySet<string> = new Set(
  CALL_STATUSES.filter((status) => status !== 'Initial'),
)
const TERMINAL: ReadonlySet<string> = TERMINAL_STATUSES
const MAX_LIFECYCLE_STEPS = 100
/** A status the provider reported for the call, from an answer or an event. */
interface StatusSighting {
  readonly ms: number
  readonly status: string
  readonly how: string
}

interface NetworkChange {
  readonly status: string
  readonly observedMs: number
  readonly how: string
  readonly lastBeforeMs: number | undefined
}

/**
 * The far end's status changes: every change the provider reported that the client's own
 * requests do not explain (a PUT of that status, anything after the client ended the call).
 */
export function networkChanges(
  callId: string | undefined,
  members: readonly Prepared[],
  callbacks: readonly ObservedCallback[],
  t0: number,
): { changes: NetworkChange[]; unknown: string[] } {
  // `order` keeps a request's own sighting after its action, and requests in the order sent;
  // an event that arrives at the same millisecond as an answer counts after it.
  type Moment =
    | { kind: 'action'; ms: number; order: number; ends: boolean; puts: string | undefined }
    | ({ kind: 'sighting'; order: number } & StatusSighting)
  const moments: Moment[] = []
  members.slice(1).forEach(({ exchange, operation }, position) => {
    const ms = exchange.at - t0
    const ok = isSuccess(exchange.status)
    moments.push({
      kind: 'action',
      ms,
      order: 2 * position,
      ends: ok && CALL_ENDING.has(operation.operationId),
      puts:
        ok && exchange.method === 'PUT' ? stringMember(exchange.requestBody, 'status') : undefined,
    })
    const status = ok ? stringMember(exchange.responseBody, 'status') : undefined
    if (status !== undefined)
      moments.push({
        kind: 'sighting',
        ms,
        order: 2 * position + 1,
        status,
        how: `${operation.operationId} answered it`,
      })
  })
  for (const callback of callbacks) {
    const data = member(callback.event, 'data')
    const status = stringMember(data, 'status')
    if (status === undefined || callId === undefined) continue
    if (!CALL_ID_NAMES.some((name) => stringMember(data, name) === callId)) continue
    const ms = callback.at - t0
    moments.push({ kind: 'sighting', ms, order: Infinity, status, how: 'an event reported it' })
  }
  moments.sort((a, b) => a.ms - b.ms || a.order - b.order)

  const changes: NetworkChange[] = []
  const unknown: string[] = []
  let current = stringMember(members[0]?.exchange.responseBody, 'status')
  let lastSeenMs: number | undefined = 0
  let clientPut: string | undefined
  let ended = false
  for (const moment of moments) {
    if (moment.kind === 'action') {
      ended ||= moment.ends
      clientPut = moment.puts ?? clientPut
      continue
    }
    if (moment.status === current) {
      lastSeenMs = moment.ms
      continue
    }
    const byClient = ended || moment.status === clientPut
    if (byClient) clientPut = undefined
    else if (!LIFECYCLE_STATUSES.has(moment.status))
      unknown.push(`"${oneLine(moment.status, 40)}" at ${formatMs(moment.ms)}`)
    else if (!TERMINAL.has(current ?? ''))
      changes.push({
        status: moment.status,
        observedMs: moment.ms,
        how: moment.how,
        lastBeforeMs: lastSeenMs,
      })
    current = moment.status
    lastSeenMs = moment.ms
  }
  return { changes: changes.slice(0, MAX_LIFECYCLE_STEPS), unknown }
}
