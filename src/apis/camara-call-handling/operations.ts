import type { Call, CoreError, Network, Result } from '../../core/index.js'
import {
  aboutCall,
  assertGoverningScenario,
  type FaceRequest,
  type FaceResponse,
  type Principal,
  type RemoteAddressReader,
} from '../face.js'
import {
  ANONYMOUS_ADDRESS,
  fromCoreError,
  invalidArgument,
  invalidTokenContext,
  sessionNotFound,
} from './errors.js'
import { toMediaSession } from './to-media-session.js'

export const FACE_ID = 'camara-call-handling'

export interface CallHandlingDeps {
  readonly network: Network
  /** Checks the registrationId header against the Registration face; absent = accept any. */
  readonly checkRegistration?: (
    registrationId: string,
    principal: Principal | undefined,
  ) => Result<void, CoreError>
}

interface MediaSessionCreate {
  originatorAddress: string
  originatorName?: string
  receiverAddress: string
  receiverName?: string
  offer: { sdp?: string }
  callType?: 'REGULAR' | 'EMERGENCY'
  locationDetails?: unknown
  /** Not in the CAMARA schema, which allows extra fields: makes a retried POST idempotent. */
  clientCorrelator?: string
}

interface MediaSessionStatusChange {
  status: Call['status']
  offer?: { sdp?: string }
  answer?: { sdp?: string }
  locationDetails?: unknown
}

/** What the network needs to place a call, whether or not the served schema requires it. */
const CREATE_NEEDS = ['originatorAddress', 'receiverAddress', 'offer'] as const

/** createSession's callee, the party the simulator plays, read before the body is validated. */
export const REMOTE_ADDRESSES: Readonly<Record<string, RemoteAddressReader>> = {
  createSession: {
    inBody: true,
    read: ({ body }) => {
      const receiver = (body as Partial<MediaSessionCreate> | undefined)?.receiverAddress
      return typeof receiver === 'string' ? receiver : undefined
    },
  },
}

const created = (call: Call): FaceResponse => ({
  status: 201,
  body: toMediaSession(call),
  callId: call.id,
})

/** The caller may see a call only from its own end; anyone else is told it does not exist. */
function findOwnCall(deps: CallHandlingDeps, request: FaceRequest): Call | undefined {
  const call = deps.network.getCall(String(request.pathParams.mediaSessionId))
  if (!call || !request.principal) return call
  return call.owner === request.principal.sub ? call : undefined
}

export function createOperations(deps: CallHandlingDeps) {
  return {
    createSession(request: FaceRequest): FaceResponse {
      // Both CAMARA request bodies leave out `required: true`, so request validation lets an
      // absent body through; the operations cannot work without one.
      if (request.body === undefined) {
        return invalidArgument(
          'Client specified an invalid argument: the request body is missing; send a JSON object with originatorAddress, receiverAddress and offer.',
        )
      }
      const body = request.body as MediaSessionCreate
      // Releases r1.2 and r2.2 take MediaSessionInformation, which requires nothing; a call
      // still needs both parties and an offer. That is a 400, and it comes before the token
      // context check (docs/call-handling.md, "Order of checks").
      const absent = CREATE_NEEDS.filter((field) => body[field] === undefined)
      if (absent.length > 0) {
        return invalidArgument(
          `Client specified an invalid argument: ${absent.join(', ')} ${absent.length > 1 ? 'are' : 'is'} required to create a session; send originatorAddress, receiverAddress and offer.`,
        )
      }
      const { principal } = request
      // CAMARA: the originator must be the token's subscriber, or withheld (RFC 3323 anonymous).
      if (
        principal &&
        body.originatorAddress !== principal.sub &&
        body.originatorAddress !== ANONYMOUS_ADDRESS
      ) {
        return invalidTokenContext()
      }
      if (body.receiverAddress === ANONYMOUS_ADDRESS) {
        return invalidArgument(
          `receiverAddress: ${ANONYMOUS_ADDRESS} may only be used as originatorAddress`,
        )
      }
      const registrationId = request.headers.registrationid
      if (deps.checkRegistration && typeof registrationId === 'string') {
        const registered = deps.checkRegistration(registrationId, principal)
        if (!registered.ok) return fromCoreError(registered.error)
      }
      const scenario = assertGoverningScenario(request)
      const { call } = deps.network.placeCall({
        originator: { address: body.originatorAddress, name: body.originatorName },
        receiver: { address: body.receiverAddress, name: body.receiverName },
        offer: body.offer,
        callType: body.callType,
        locationDetails: body.locationDetails,
        owner: principal?.sub ?? body.originatorAddress,
        clientCorrelator: body.clientCorrelator,
        via: FACE_ID,
        scenarioId: scenario.id,
        lifecycle: scenario.lifecycle,
      })
      return created(call)
    },

    getSessionDetailsById(request: FaceRequest): FaceResponse {
      const call = findOwnCall(deps, request)
      if (!call) return sessionNotFound(String(request.pathParams.mediaSessionId))
      return { status: 200, body: toMediaSession(call), callId: call.id }
    },

    updateSessionStatus(request: FaceRequest): FaceResponse {
      if (request.body === undefined) {
        return invalidArgument(
          'Client specified an invalid argument: the request body is missing; send a JSON object such as {"status": "Hold"}.',
        )
      }
      const call = findOwnCall(deps, request)
      if (!call) return sessionNotFound(String(request.pathParams.mediaSessionId))
      const body = request.body as MediaSessionStatusChange
      const updated = deps.network.requestStatus(call.id, {
        status: body.status,
        offer: body.offer,
        answer: body.answer,
        locationDetails: body.locationDetails,
      })
      if (!updated.ok) return aboutCall(call.id, fromCoreError(updated.error))
      return { status: 200, body: toMediaSession(updated.value), callId: call.id }
    },

    deleteSessionById(request: FaceRequest): FaceResponse {
      const call = findOwnCall(deps, request)
      if (!call) return sessionNotFound(String(request.pathParams.mediaSessionId))
      const ended = deps.network.endCall(call.id)
      if (!ended.ok) return aboutCall(call.id, fromCoreError(ended.error))
      return { status: 204, callId: call.id }
    },
  }
}
