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

/** The call routes of spec/callsim-admin.yaml: a filtered, paged list, one call, its ladder. */
export function createCallAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    listCalls: (request) => {
      const filter = filterOf(request.query)
      const all = [...control.calls()]
      // The network keeps calls in the order they were made, so newest first is that reversed.
      if (request.query.order === 'newest') all.reverse()
      const chosen = all.filter((call) => matches(call, filter))
      const offset = Number(request.query.offset ?? 0)
      const limit = request.query.limit === undefined ? chosen.length : Number(request.query.limit)
      const calls = chosen.slice(offset, offset + limit).map(toAdminCall)
      return { status: 200, body: { total: chosen.length, calls } }
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
