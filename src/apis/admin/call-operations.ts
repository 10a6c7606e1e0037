import type { Call } from '../../core/index.js'
import type { FaceRequest, OperationHandler } from '../face.js'
import type { Control } from './control.js'
import { callNotFound } from './errors.js'
import { toAdminCall } from './to-admin-call.js'

interface CallFilter {
  readonly subscriber?: string
  readonly status?: string
  readonly face?: string
  readonly scenario?: string
}

const filterOf = (query: FaceRequest['query']): CallFilter => {
  const text = (name: string) => (typeof query[name] === 'string' ? query[name] : undefined)
  return {
    subscriber: text('subscriber'),
    status: text('status'),
    face: text('face'),
    scenario: text('scenario'),
  }
}

/** A subscriber matches the calls it owns or takes part in, on either end. */
function matches(call: Call, filter: CallFilter): boolean {
  if (filter.status !== undefined && call.status !== filter.status) return false
  if (filter.face !== undefined && call.via !== filter.face) return false
  if (filter.scenario !== undefined && call.scenarioId !== filter.scenario) return false
  if (filter.subscriber !== undefined) {
    const wanted = filter.subscriber
    return (
      call.owner === wanted ||
      call.originator.address === wanted ||
      call.receiver.address === wanted
    )
  }
  return true
}

/**
 * One page of the calls that match, and how many match. The network keeps calls in the order
 * they were made, so newest first keeps only the last `offset + limit` matches on the way: a
 * console that re-reads its page on every change must not copy 100k calls each time.
 */
function pageOfCalls(
  calls: Iterable<Call>,
  filter: CallFilter,
  newestFirst: boolean,
  { offset, limit }: { offset: number; limit: number },
): { total: number; calls: Call[] } {
  const wanted = offset + limit
  let total = 0
  let kept: Call[] = []
  for (const call of calls) {
    if (!matches(call, filter)) continue
    total += 1
    if (wanted === 0) continue
    if (newestFirst) {
      kept.push(call)
      // Trimmed in bulk so that keeping the tail costs O(1) per call on average.
      if (kept.length >= 2 * wanted) kept = kept.slice(-wanted)
    } else if (total > offset && total <= wanted) kept.push(call)
  }
  if (!newestFirst || wanted === 0) return { total, calls: kept }
  return { total, calls: kept.slice(-wanted).reverse().slice(offset, wanted) }
}

/** The call routes of spec/callsim-admin.yaml: a filtered, paged list, one call, its ladder. */
export function createCallAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    listCalls: (request) => {
      const filter = filterOf(request.query)
      const offset = Number(request.query.offset ?? 0)
      const limit =
        request.query.limit === undefined ? Number.POSITIVE_INFINITY : Number(request.query.limit)
      const page = pageOfCalls(control.calls(), filter, request.query.order === 'newest', {
        offset,
        limit,
      })
      return { status: 200, body: { total: page.total, calls: page.calls.map(toAdminCall) } }
    },
    getCall: (request) => {
      const callId = String(request.pathParams.callId)
      const call = control.call(callId)
      return call ? { status: 200, body: toAdminCall(call) } : callNotFound(callId)
    },
    getCallLadder: (request) => {
      const callId = String(request.pathParams.callId)
      const history = control.callHistory(callId)
      if (!history) return callNotFound(callId)
      return {
        status: 200,
        body: {
          call: toAdminCall(history.call),
          exchanges: history.exchanges,
          omittedExchanges: history.omittedExchanges,
          deliveries: history.deliveries,
          now: new Date(control.clock().now).toISOString(),
        },
      }
    },
  }
}
