import type { Call } from '../../core/index.js'

/** MediaSessionResponse of the CAMARA WebRTC Call Handling spec. */
export interface MediaSession {
  mediaSessionId: string
  originatorAddress: string
  originatorName?: string
  receiverAddress: string
  receiverName?: string
  status: Call['status']
  offer: { sdp?: string }
  answer?: { sdp?: string }
  callType?: 'REGULAR' | 'EMERGENCY'
  locationDetails?: unknown
}

export function toMediaSession(call: Call): MediaSession {
  const session: MediaSession = {
    mediaSessionId: call.id,
    originatorAddress: call.originator.address,
    receiverAddress: call.receiver.address,
    status: call.status,
    offer: call.offer ?? {},
  }
  if (call.originator.name !== undefined) session.originatorName = call.originator.name
  if (call.receiver.name !== undefined) session.receiverName = call.receiver.name
  if (call.answer !== undefined) session.answer = call.answer
  if (call.callType !== undefined) session.callType = call.callType
  if (call.locationDetails !== undefined) session.locationDetails = call.locationDetails
  return session
}
