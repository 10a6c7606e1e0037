import { parseDuration } from '../../core/index.js'
import type { FaceRequest, FaceResponse, OperationHandler } from '../face.js'
import type { Control } from './control.js'
import { invalidArgument, notRegistered } from './errors.js'
import { toAdminCall } from './to-admin-call.js'

interface IncomingCallBody {
  from: string
  to: string
  fromName?: string
  offer?: { sdp?: string }
  scenario?: string
  cancelAfter?: unknown
  noAnswerAfter?: unknown
}

/** The control operations of the events feature: incoming calls and the delivery journal. */
export function createEventAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    startIncomingCall: (request: FaceRequest): FaceResponse => {
      const body = request.body as IncomingCallBody
      if (
        body.scenario !== undefined &&
        (body.cancelAfter !== undefined || body.noAnswerAfter !== undefined)
      ) {
        return invalidArgument(
          'scenario decides what the caller does; leave out cancelAfter and noAnswerAfter, or the scenario.',
        )
      }
      const durations: Record<string, number | undefined> = {}
      for (const field of ['cancelAfter', 'noAnswerAfter'] as const) {
        if (body[field] === undefined) continue
        const parsed = parseDuration(body[field])
        if (!parsed.ok) return invalidArgument(`${field}: ${parsed.error}`)
        durations[field] = parsed.value
      }
      if (body.from === body.to)
        return invalidArgument('from and to are the same address; a subscriber cannot call itself.')
      const started = control.startIncomingCall({
        from: body.from,
        to: body.to,
        fromName: body.fromName,
        offer: body.offer,
        scenario: body.scenario,
        cancelAfterMs: durations.cancelAfter,
        noAnswerAfterMs: durations.noAnswerAfter,
      })
      if (!started.ok) {
        const error = started.error
        return error.kind === 'not-registered'
          ? notRegistered(error.to)
          : invalidArgument(
              `scenario: no scenario "${error.scenario}"; list them with GET /_callsim/scenarios or \`callsim scenarios\`.`,
            )
      }
      return {
        status: 201,
        callId: started.value.call.id,
        body: {
          ...toAdminCall(started.value.call),
          invitedSubscriptions: started.value.invitedSubscriptions,
        },
      }
    },
    listDeliveries: (request) => {
      const subscriptionId =
        typeof request.query.subscriptionId === 'string' ? request.query.subscriptionId : undefined
      const { total, items } = control.deliveries(
        Number(request.query.limit ?? 100),
        subscriptionId,
      )
      return { status: 200, body: { total, deliveries: items } }
    },
  }
}
