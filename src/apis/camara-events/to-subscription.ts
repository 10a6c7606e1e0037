import type { Subscription as StoredSubscription, SubscriptionEventType } from '../../core/index.js'

/** Subscription of the CAMARA WebRTC Events spec. The sink credential is never shown back. */
export interface Subscription {
  protocol: 'HTTP'
  sink: string
  types: [SubscriptionEventType]
  config: {
    subscriptionDetail: { deviceId?: string; registrationId?: string; sessionId?: string }
    subscriptionExpireTime?: string
    subscriptionMaxEvents?: number
    initialEvent?: boolean
  }
  id: string
  startsAt: string
  expiresAt?: string
  status: 'ACTIVE'
}

const iso = (ms: number): string => new Date(ms).toISOString()

/** Only live subscriptions are ever shown: an ended one is forgotten at once (docs/events.md). */
export function toSubscription(subscription: StoredSubscription): Subscription {
  // The detail as the client sent it (r2.2 requires registrationId in the echo), with the
  // device a registrationId resolved to.
  const config: Subscription['config'] = {
    subscriptionDetail: { ...subscription.detail },
  }
  if (subscription.expiresAt !== undefined)
    config.subscriptionExpireTime = iso(subscription.expiresAt)
  if (subscription.maxEvents !== undefined) config.subscriptionMaxEvents = subscription.maxEvents
  if (subscription.initialEvent !== undefined) config.initialEvent = subscription.initialEvent
  const view: Subscription = {
    protocol: 'HTTP',
    sink: subscription.sink,
    types: [subscription.type],
    config,
    id: subscription.id,
    startsAt: iso(subscription.createdAt),
    status: 'ACTIVE',
  }
  if (subscription.expiresAt !== undefined) view.expiresAt = iso(subscription.expiresAt)
  return view
}
