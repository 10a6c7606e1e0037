import type { Actor, Call, CallStatus } from './call.js'
import type { Registration } from './registrations.js'
import type { Subscription, SubscriptionEndReason } from './subscriptions.js'

/** What happened in the network; the composition root wires logging and callbacks to these. */
export type DomainEvent =
  | { readonly type: 'call:created'; readonly call: Call }
  | { readonly type: 'call:incoming'; readonly call: Call }
  | {
      readonly type: 'call:status-changed'
      readonly call: Call
      readonly from: CallStatus
      readonly to: CallStatus
      readonly by: Actor
    }
  | { readonly type: 'call:expired'; readonly callId: string; readonly call: Call }
  | {
      readonly type: 'registration:ended'
      readonly registration: Registration
      readonly reason: 'NETWORK_TERMINATED' | 'REGISTRATION_EXPIRED' | 'DELETED'
    }
  | {
      readonly type: 'subscription:ended'
      readonly subscription: Subscription
      readonly reason: SubscriptionEndReason
    }

export type DomainEventListener = (event: DomainEvent) => void

export class DomainEvents {
  private readonly listeners = new Set<DomainEventListener>()
  /** Events emitted while a change is open (StateChanges), in order; undefined otherwise. */
  private held: DomainEvent[] | undefined

  subscribe(listener: DomainEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit(event: DomainEvent): void {
    if (this.held !== undefined) {
      this.held.push(event)
      return
    }
    for (const listener of this.listeners) listener(event)
  }

  /** Queues events instead of delivering them, until release() or discard(). */
  hold(): void {
    this.held ??= []
  }

  /** Delivers the queued events in order and stops queueing. */
  release(): void {
    const held = this.held
    this.held = undefined
    for (const event of held ?? []) this.emit(event)
  }

  /** Forgets the queued events (their change was rolled back) and stops queueing. */
  discard(): void {
    this.held = undefined
  }
}
