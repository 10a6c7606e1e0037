import type { Faker } from '@faker-js/faker'
import {
  TERMINAL_STATUSES,
  type Call,
  type Clock,
  type DomainEvents,
  type Lifecycle,
  type Network,
  type StateChanges,
  type TimerId,
} from '../../core/index.js'
import type { CallTemplate } from './call-templates.js'

/** callState of spec/oracle/click2call.yaml. */
export type Click2CallState = 'unknown' | 'scheduled' | 'initiated' | 'connected' | 'disconnected'

/**
 * The face's record of one click-to-call request. Until a delayed call starts, this record is
 * all there is: the network learns of the call only when the delay has elapsed on the clock.
 */
export interface Click2CallSession {
  readonly id: string
  /**
   * The token subject that started the session: the only caller that may poll or end it.
   * Anyone else is told the session does not exist, as CAMARA answers a non-party.
   */
  readonly owner: string
  readonly template: CallTemplate
  /** The visitor's tel: URI: the receiver of the network call. */
  readonly visitor: string
  readonly userExtension: string | undefined
  readonly visitorContext: Readonly<Record<string, unknown>> | undefined
  readonly requestedAt: number
  /** When the network call is (or was) placed: requestedAt + delay. */
  readonly startAt: number
  readonly scenarioId: string
  readonly lifecycle: Lifecycle
  /** The network call, once placed. */
  callId: string | undefined
  /** When the client ended the call before it was placed. */
  cancelledAt: number | undefined
  /** The call has passed its retention, so its state can no longer be determined. */
  forgotten: boolean
  timer: TimerId | undefined
  /** The state the owner was told at its previous status request (JSON or JSONP alike). */
  lastPolled: Click2CallState | undefined
}

export interface Click2CallSessionsDeps {
  readonly network: Network
  readonly clock: Clock
  readonly events: DomainEvents
  readonly faker: Faker
  /** How long a finished call stays readable; the face keeps an `unknown` record as long again. */
  readonly retentionMs: number
  /** Records how to undo each change, while a request's change is open. */
  readonly changes?: StateChanges
}

export interface NewClick2CallSession {
  readonly owner: string
  readonly template: CallTemplate
  readonly visitor: string
  readonly userExtension: string | undefined
  readonly visitorContext: Readonly<Record<string, unknown>> | undefined
  readonly delayMs: number
  readonly scenarioId: string
  readonly lifecycle: Lifecycle
}

/**
 * The click-to-call sessions and their schedule on the simulator's clock. A session ends its
 * life in two retention periods: `disconnected` while the network still holds the call,
 * `unknown` once the network has forgotten it, then gone (404). Nothing outlives that, so
 * memory does not grow with the number of calls ever made.
 */
export class Click2CallSessions {
  private readonly sessions = new Map<string, Click2CallSession>()
  private readonly byCallId = new Map<string, string>()

  constructor(private readonly deps: Click2CallSessionsDeps) {
    deps.events.subscribe((event) => {
      if (event.type !== 'call:expired') return
      const sessionId = this.byCallId.get(event.callId)
      const session = sessionId === undefined ? undefined : this.sessions.get(sessionId)
      if (session) this.forget(session)
    })
  }

  get size(): number {
    return this.sessions.size
  }

  /** The session, if it exists and `caller` started it; undefined for anyone else. */
  get(id: string, caller: string): Click2CallSession | undefined {
    const session = this.sessions.get(id)
    return session?.owner === caller ? session : undefined
  }

  /** The network call behind the session, if it has been placed and is still held. */
  callOf(session: Click2CallSession): Call | undefined {
    return session.callId === undefined ? undefined : this.deps.network.getCall(session.callId)
  }

  start(input: NewClick2CallSession): Click2CallSession {
    const now = this.deps.clock.now()
    const session: Click2CallSession = {
      id: this.uniqueId(),
      owner: input.owner,
      template: input.template,
      visitor: input.visitor,
      userExtension: input.userExtension,
      visitorContext: input.visitorContext,
      requestedAt: now,
      startAt: now + input.delayMs,
      scenarioId: input.scenarioId,
      lifecycle: input.lifecycle,
      callId: undefined,
      cancelledAt: undefined,
      forgotten: false,
      timer: undefined,
      lastPolled: undefined,
    }
    this.deps.changes?.record(() => {
      if (session.timer !== undefined) this.deps.clock.cancel(session.timer)
      this.sessions.delete(session.id)
    })
    this.sessions.set(session.id, session)
    if (input.delayMs === 0) this.place(session)
    else this.schedulePlacement(session)
    return session
  }

  /** Remembers the state a poll reported, which the next poll's hasChanged compares with. */
  notePoll(session: Click2CallSession, state: Click2CallState): void {
    const { lastPolled } = session
    this.deps.changes?.record(() => (session.lastPolled = lastPolled))
    session.lastPolled = state
  }

  private schedulePlacement(session: Click2CallSession): void {
    session.timer = this.deps.clock.schedule(session.startAt, () => {
      session.timer = undefined
      this.place(session)
    })
  }

  /**
   * The client ends the call: a scheduled call is simply not placed; a live one is hung up
   * from the contact-centre end (CANCEL before the answer, BYE after it).
   */
  end(session: Click2CallSession): 'ended' | 'already-ended' {
    if (session.forgotten || session.cancelledAt !== undefined) return 'already-ended'
    if (session.callId === undefined) {
      this.deps.changes?.record(() => {
        if (session.timer !== undefined) this.deps.clock.cancel(session.timer)
        session.cancelledAt = undefined
        this.schedulePlacement(session)
      })
      if (session.timer !== undefined) this.deps.clock.cancel(session.timer)
      session.cancelledAt = this.deps.clock.now()
      session.timer = this.deps.clock.schedule(session.cancelledAt + this.deps.retentionMs, () =>
        this.forget(session),
      )
      return 'ended'
    }
    const call = this.callOf(session)
    if (!call || TERMINAL_STATUSES.has(call.status)) return 'already-ended'
    return this.deps.network.endCall(call.id).ok ? 'ended' : 'already-ended'
  }

  /** Forgets every session and cancels their timers (the control API's reset). */
  reset(): void {
    if (this.deps.changes?.open) {
      const sessions = [...this.sessions.values()]
      const byCallId = [...this.byCallId]
      this.deps.changes.record(() => {
        for (const session of sessions) {
          this.sessions.set(session.id, session)
          // A pending placement or retention timer starts again from now on.
          if (session.cancelledAt === undefined && session.callId === undefined)
            this.schedulePlacement(session)
        }
        for (const [callId, sessionId] of byCallId) this.byCallId.set(callId, sessionId)
      })
    }
    for (const session of this.sessions.values()) {
      if (session.timer !== undefined) this.deps.clock.cancel(session.timer)
    }
    this.sessions.clear()
    this.byCallId.clear()
  }

  /**
   * Places the network call: the contact centre (the API client's end, and the call's owner)
   * calls the visitor. CAMARA clients see it as an originating session of the template address.
   */
  private place(session: Click2CallSession): void {
    const { call } = this.deps.network.placeCall({
      originator: { address: session.template.address, name: session.template.name },
      receiver: { address: session.visitor },
      owner: session.template.address,
      via: 'oracle-click2call',
      scenarioId: session.scenarioId,
      lifecycle: session.lifecycle,
    })
    this.deps.changes?.record(() => (session.callId = undefined))
    this.deps.changes?.keep(this.byCallId, call.id)
    session.callId = call.id
    this.byCallId.set(call.id, session.id)
  }

  private forget(session: Click2CallSession): void {
    session.forgotten = true
    if (session.callId !== undefined) this.byCallId.delete(session.callId)
    session.timer = this.deps.clock.schedule(this.deps.clock.now() + this.deps.retentionMs, () => {
      this.sessions.delete(session.id)
    })
  }

  private uniqueId(): string {
    for (;;) {
      const id = this.deps.faker.string.uuid()
      if (!this.sessions.has(id)) return id
    }
  }
}
