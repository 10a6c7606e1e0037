import type {
  Result,
  SinkCredential,
  SubscriptionEventType,
  Subscriptions,
} from '../../core/index.js'
import { successOf, type FaceRequest, type FaceResponse } from '../face.js'
import {
  deviceNotRegistered,
  deviceOfAnotherSubscriber,
  fromSubscriptionError,
  invalidArgument,
  invalidCredential,
  multiEventNotSupported,
  subscriptionNotFound,
} from './errors.js'
import { toSubscription } from './to-subscription.js'

export const FACE_ID = 'camara-events'

/** Why a device cannot be subscribed to: CAMARA requires a deviceId related to a valid registration. */
export type DeviceProblem = 'not-registered' | 'registered-to-another'

/**
 * WebrtcSubscriptionDetail across releases: the development state names the device, r1.2 the
 * device and its registration, r2.2 the registration (deviceId optional).
 */
export interface SubscriptionDetail {
  readonly deviceId?: string
  readonly registrationId?: string
  readonly sessionId?: string
}

export interface EventsDeps {
  readonly subscriptions: Subscriptions
  /**
   * The device a subscription detail names, checked against the registrations (by its
   * registrationId when it has one); absent (registration optional) = any device.
   */
  readonly checkDevice?: (
    detail: SubscriptionDetail,
    subscriber: string | undefined,
  ) => Result<string, DeviceProblem>
  /**
   * Sandbox relaxation: also accept http:// sinks on loopback addresses, which cannot have the
   * certificate the spec's https-only pattern implies (docs/events.md).
   */
  readonly allowHttpSinks: boolean
}

interface SinkCredentialBody {
  credentialType?: string
  accessToken?: string
  accessTokenExpiresUtc?: string
  accessTokenType?: string
}

interface SubscriptionRequest {
  protocol: 'HTTP'
  sink: string
  sinkCredential?: SinkCredentialBody
  types: SubscriptionEventType[]
  config: {
    subscriptionDetail: SubscriptionDetail
    subscriptionExpireTime?: string
    subscriptionMaxEvents?: number
    initialEvent?: boolean
  }
}

interface SubscriptionUpdateRequest {
  sinkCredential?: SinkCredentialBody
  config?: { subscriptionExpireTime?: string }
}

/**
 * The spec enforces the AccessTokenCredential fields through its discriminator; a release of
 * the spec without it still must not let a credential without a token through.
 */
function parseCredential(
  body: SinkCredentialBody | undefined,
): Result<SinkCredential | undefined, FaceResponse> {
  if (body === undefined) return { ok: true, value: undefined }
  if (typeof body.accessToken !== 'string' || typeof body.accessTokenExpiresUtc !== 'string') {
    return {
      ok: false,
      error: invalidCredential(
        'an ACCESSTOKEN credential needs accessToken, accessTokenExpiresUtc and accessTokenType',
      ),
    }
  }
  const expiresAt = Date.parse(body.accessTokenExpiresUtc)
  if (Number.isNaN(expiresAt))
    return {
      ok: false,
      error: invalidCredential(
        `accessTokenExpiresUtc "${body.accessTokenExpiresUtc}" is not an RFC 3339 date-time`,
      ),
    }
  return { ok: true, value: { accessToken: body.accessToken, accessTokenExpiresAt: expiresAt } }
}

function parseExpireTime(value: string | undefined): Result<number | undefined, FaceResponse> {
  if (value === undefined) return { ok: true, value: undefined }
  const at = Date.parse(value)
  if (Number.isNaN(at))
    return {
      ok: false,
      error: invalidArgument(
        `config.subscriptionExpireTime "${value}" is not an RFC 3339 date-time`,
      ),
    }
  return { ok: true, value: at }
}

export function createOperations(deps: EventsDeps) {
  const { subscriptions } = deps

  /** A caller sees only its own subscriptions; anyone else's id is answered as unknown. */
  const findOwn = (request: FaceRequest) => {
    const subscription = subscriptions.get(String(request.pathParams.subscriptionId))
    return subscription && subscription.owner === request.principal?.sub ? subscription : undefined
  }

  return {
    createNotificationChannelSubscription(request: FaceRequest): FaceResponse {
      const body = request.body as SubscriptionRequest
      const owner = request.principal?.sub
      // The Subscription response allows one type (maxItems 1), so one subscription = one type.
      if (body.types.length > 1) return multiEventNotSupported(body.types.length)
      const [type] = body.types
      if (type === undefined) return invalidArgument('types must list one event type')
      const detail = body.config.subscriptionDetail
      const named =
        detail.registrationId === undefined
          ? `device ${detail.deviceId ?? ''}`
          : `registration ${detail.registrationId}`
      let deviceId = detail.deviceId
      if (deps.checkDevice) {
        const device = deps.checkDevice(detail, owner)
        if (!device.ok)
          return device.error === 'not-registered'
            ? deviceNotRegistered(named)
            : deviceOfAnotherSubscriber(named)
        deviceId = device.value
      }
      // Echoed in the Subscription as sent, plus the device a registrationId resolved to.
      const echo: Record<string, string> = {}
      if (deviceId !== undefined) echo.deviceId = deviceId
      if (detail.registrationId !== undefined) echo.registrationId = detail.registrationId
      if (detail.sessionId !== undefined) echo.sessionId = detail.sessionId
      const credential = parseCredential(body.sinkCredential)
      if (!credential.ok) return credential.error
      const expiresAt = parseExpireTime(body.config.subscriptionExpireTime)
      if (!expiresAt.ok) return expiresAt.error
      const created = subscriptions.create({
        owner,
        deviceId: deviceId ?? `registration ${detail.registrationId ?? ''}`,
        detail: echo,
        type,
        sink: body.sink,
        sinkCredential: credential.value,
        expiresAt: expiresAt.value,
        maxEvents: body.config.subscriptionMaxEvents,
        initialEvent: body.config.initialEvent,
      })
      if (!created.ok) return fromSubscriptionError(created.error)
      return successOf(request.operation, 201, toSubscription(created.value))
    },

    retrieveNotificationChannelSubscriptionList(request: FaceRequest): FaceResponse {
      return { status: 200, body: subscriptions.list(request.principal?.sub).map(toSubscription) }
    },

    retrieveNotificationChannelSubscription(request: FaceRequest): FaceResponse {
      const subscription = findOwn(request)
      if (!subscription) return subscriptionNotFound(String(request.pathParams.subscriptionId))
      return { status: 200, body: toSubscription(subscription) }
    },

    updateNotificationChannelSubscription(request: FaceRequest): FaceResponse {
      const subscription = findOwn(request)
      if (!subscription) return subscriptionNotFound(String(request.pathParams.subscriptionId))
      const body = request.body as SubscriptionUpdateRequest
      const credential = parseCredential(body.sinkCredential)
      if (!credential.ok) return credential.error
      const expiresAt = parseExpireTime(body.config?.subscriptionExpireTime)
      if (!expiresAt.ok) return expiresAt.error
      const updated = subscriptions.update(subscription.id, {
        sinkCredential: credential.value,
        expiresAt: expiresAt.value,
      })
      if (!updated.ok) return fromSubscriptionError(updated.error)
      return { status: 200, body: toSubscription(updated.value) }
    },

    deleteNotificationChannelSubscription(request: FaceRequest): FaceResponse {
      const subscription = findOwn(request)
      if (!subscription) return subscriptionNotFound(String(request.pathParams.subscriptionId))
      const deleted = subscriptions.delete(subscription.id)
      if (!deleted.ok) return fromSubscriptionError(deleted.error)
      return { status: 204 }
    },
  }
}
