import type { Call } from '../../core/index.js'

const iso = (ms: number): string => new Date(ms).toISOString()

/** The control API's view of a call: everything the network knows, timeline included. */
export const toAdminCall = (call: Call): Record<string, unknown> => describeCall(call, true)

/**
 * A call as a list shows it (GET /calls?timeline=false): all but the timeline, which is most of
 * a call's size and of what building and checking it costs.
 */
export const toAdminCallRow = (call: Call): Record<string, unknown> => describeCall(call, false)

function describeCall(call: Call, withTimeline: boolean): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: call.id,
    sipCallId: call.sipCallId,
    side: call.side,
    originatorAddress: call.originator.address,
    receiverAddress: call.receiver.address,
    status: call.status,
    scenarioId: call.scenarioId,
    createdAt: iso(call.createdAt),
  }
  if (withTimeline)
    view.timeline = call.timeline.entries().map((entry) => ({ ...entry, at: iso(entry.at) }))
  if (call.owner !== undefined) view.owner = call.owner
  if (call.via !== undefined) view.via = call.via
  if (call.answeredAt !== undefined) view.answeredAt = iso(call.answeredAt)
  if (call.endedAt !== undefined) view.endedAt = iso(call.endedAt)
  if (call.endedBy !== undefined) view.endedBy = call.endedBy
  if (call.endedReason !== undefined) view.endedReason = call.endedReason
  if (call.expiresAt !== undefined) view.expiresAt = iso(call.expiresAt)
  return view
}
