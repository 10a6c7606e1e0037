import type { Registration, RegistrationError, Registrations } from '../../core/index.js'
import { successOf, type FaceRequest, type FaceResponse, type OperationHandler } from '../face.js'
import {
  alreadyExists,
  expiryTooSoon,
  invalidArgument,
  registrationNotFound,
  subscriberUnknown,
} from './errors.js'
import { toRegistration } from './to-registration.js'

export const FACE_ID = 'camara-registration'

export interface RegistrationDeps {
  readonly registrations: Registrations
}

/** RegSessionRequest and RegSessionUpdate; both bodies are optional in the spec. */
interface RegSessionBody {
  deviceId?: string
  registrationExpireTime?: string
}

/** The list schema allows at most 10 items. */
const MAX_LISTED = 10

/**
 * A caller sees only registrations made with its own subscriber identity; anyone else's id
 * answers exactly as an unknown one, so ids leak nothing.
 */
function findOwnRegistration(
  deps: RegistrationDeps,
  request: FaceRequest,
): Registration | FaceResponse {
  const id = String(request.pathParams.registrationId)
  const sub = request.principal?.sub
  const registration = deps.registrations.get(id)
  if (registration && (sub === undefined || registration.subscriber === sub)) return registration
  const ended = registration ? undefined : deps.registrations.endedRegistration(id)
  const own = ended !== undefined && (sub === undefined || ended.registration.subscriber === sub)
  return registrationNotFound(id, own ? ended : undefined)
}

const isResponse = (value: Registration | FaceResponse): value is FaceResponse => 'status' in value

/** Reads registrationExpireTime (already a valid RFC 3339 date-time) as epoch ms. */
function requestedExpiry(body: RegSessionBody | undefined): number | undefined | FaceResponse {
  const text = body?.registrationExpireTime
  if (text === undefined) return undefined
  const ms = Date.parse(text)
  if (Number.isNaN(ms))
    return invalidArgument(
      `registrationExpireTime "${text}" is not a time callsim can read; send RFC 3339 with an offset, e.g. 2025-01-01T01:00:00Z.`,
    )
  return ms
}

function fromRegistrationError(deps: RegistrationDeps, error: RegistrationError): FaceResponse {
  switch (error.kind) {
    case 'registration-not-found':
      return registrationNotFound(error.registrationId, error.ended)
    case 'registration-exists':
      return alreadyExists(error.existing.deviceId)
    case 'expiry-too-soon':
      return expiryTooSoon(error.requestedAt, error.earliestAt, deps.registrations.defaultTtlMs)
  }
}

/** One handler per operationId of the CAMARA WebRTC Registration spec. */
export function createOperations(deps: RegistrationDeps): Record<string, OperationHandler> {
  return {
    getRegistrationsByDeviceId(request) {
      const sub = request.principal?.sub
      const own = deps.registrations
        .listByDevice(String(request.query.deviceId))
        .filter((registration) => sub === undefined || registration.subscriber === sub)
      return { status: 200, body: own.slice(0, MAX_LISTED).map(toRegistration) }
    },

    createRegistration(request) {
      const sub = request.principal?.sub
      if (sub === undefined) return subscriberUnknown()
      const body = request.body as RegSessionBody | undefined
      // The spec does not mark the body required, but deviceId inside it is.
      if (body?.deviceId === undefined) {
        return invalidArgument(
          'the request body is missing; send {"deviceId": "<a UUID chosen for this device>"}.',
        )
      }
      const expiresAt = requestedExpiry(body)
      if (typeof expiresAt === 'object') return expiresAt
      const created = deps.registrations.create(body.deviceId, sub, expiresAt)
      if (!created.ok) return fromRegistrationError(deps, created.error)
      return successOf(request.operation, 201, toRegistration(created.value))
    },

    getRegistrationById(request) {
      const found = findOwnRegistration(deps, request)
      if (isResponse(found)) return found
      return { status: 200, body: toRegistration(found) }
    },

    updateRegistrationById(request) {
      const found = findOwnRegistration(deps, request)
      if (isResponse(found)) return found
      const expiresAt = requestedExpiry(request.body as RegSessionBody | undefined)
      if (typeof expiresAt === 'object') return expiresAt
      const updated = deps.registrations.update(found.id, expiresAt)
      if (!updated.ok) return fromRegistrationError(deps, updated.error)
      return successOf(request.operation, 200, toRegistration(updated.value))
    },

    deleteRegistrationById(request) {
      const found = findOwnRegistration(deps, request)
      if (isResponse(found)) return found
      const deleted = deps.registrations.delete(found.id)
      if (!deleted.ok) return fromRegistrationError(deps, deleted.error)
      return { status: 204 }
    },
  }
}
