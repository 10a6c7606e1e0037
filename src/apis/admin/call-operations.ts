import type { Call } from '../../core/index.js'
import type { FaceRequest, OperationHandler } from '../face.js'
import type { Control } from './control.js'
import { callNotFound } from './errors.js'
import { toAdminCall, toAdminCallRow } from './to-admin-call.js'

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

const noFilter = (filter: CallFilter): boolean =>
  filter.subscriber === undefined &&
  filter.status === undefined &&
  filter.face === undefined &&
  filter.scenario === undefined

/**
 * One page of the calls that match, and how many match. Without a filter the walk stops at the
 * page's end and the network's count is the total, so the console's newest page costs its 50
 * calls however many the network holds; a filter has to look at every call to count its matches,
 * which stays a plain test per call (no copying).
 */
function pageOfCalls(
  control: Control,
  filter: CallFilter,
  newestFirst: boolean,
  { offset, limit }: { offset: number; limit: number },
): { total: number; calls: Call[] } {
  const unfiltered = noFilter(filter)
  const end = offset + limit
  const kept: Call[] = []
  let matched = 0
  for (const call of newestFirst ? control.newestCalls() : control.calls()) {
    if (!unfiltered && !matches(call, filter)) continue
    matched += 1
    if (matched > offset && matched <= end) kept.push(call)
    else if (matched > end && unfiltered) break
  }
  return { total: unfiltered ? control.callCount() : matched, calls: kept }
}

/** The call routes of spec/callsim-admin.yaml: a filtered, paged list, one call, its ladder. */
export function createCallAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    listCalls: (request) => {
      const filter = filterOf(request.query)
      const offset = Number(request.query.offset ?? 0)
      const limit =
        request.query.limit === undefined ? Number.POSITIVE_INFINITY : Number(request.query.limit)
      const page = pageOfCalls(control, filter, request.query.order === 'newest', {
        offset,
        limit,
      })
      const view = request.query.timeline === false ? toAdminCallRow : toAdminCall
      return { status: 200, body: { total: page.total, calls: page.calls.map(view) } }
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
