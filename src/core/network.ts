// Over 300 lines on purpose: the Network class is the one owner of the calls' state machine
// (placing, offering, status requests, ending, the lifecycle timers and retention), and its
// private helpers share that state; split, they would pass the class's maps around instead.
import type { Faker } from '@faker-js/faker'
import {
  SETUP_STATUSES,
  TERMINAL_STATUSES,
  type Actor,
  type Call,
  type CallSide,
  type CallStatus,
  type Party,
  type Sdp,
} from './call.js'
import { checkClientStatusRequest, checkTransition } from './call-transitions.js'
import type { Clock, Timer } from './clock.js'
import type { DomainEvents } from './domain-events.js'
import { CreationOrder } from './creation-order.js'
import type { CoreError } from './errors.js'
import { SeededSdp, createMediaSessionId, createPersonName, createSipCallId } from './fake-data.js'
import type { Lifecycle, LifecycleAction } from './lifecycle.js'
import type { Random } from './random.js'
import type { StateChanges } from './state-changes.js'
import { Timeline } from './timeline.js'
import { err, ok, type Result } from './result.js'

/** Finished calls stay readable this long by default, then GET answers 404. */
export const DEFAULT_RETENTION_MS = 5 * 60_000

export interface NetworkOptions {
  readonly clock: Clock
  readonly faker: Faker
  readonly random: Random
  readonly events: DomainEvents
  readonly retentionMs?: number
  /** Records how to undo each change, while a request's change is open. */
  readonly changes?: StateChanges
}

export interface NewCall {
  readonly originator: Party
  readonly receiver: Party
  readonly offer?: Sdp | undefined
  readonly answer?: Sdp | undefined
  readonly callType?: 'REGULAR' | 'EMERGENCY' | undefined
  readonly locationDetails?: unknown
  readonly owner?: string | undefined
  readonly clientCorrelator?: string | undefined
  /** The face the call was started through, e.g. camara-call-handling; shown by the console. */
  readonly via?: string | undefined
  readonly scenarioId: string
  readonly lifecycle: Lifecycle
}

export interface StatusChange {
  readonly status: CallStatus
  readonly offer?: Sdp | undefined
  readonly answer?: Sdp | undefined
  readonly locationDetails?: unknown
}

/** SIP reasons an SBC logs for each way a call can end (RFC 3261 status codes). */
const END_REASON: Record<CallStatus, string | undefined> = {
  Terminated: 'BYE',
  SessionCancelled: 'CANCEL',
  Busy: '486',
  NoAnswer: '480',
  Declined: '603',
  NotReachable: '404',
  Failed: '500',
  Initial: undefined,
  InProgress: undefined,
  Ringing: undefined,
  Proceeding: undefined,
  Connected: undefined,
  Hold: undefined,
  Resume: undefined,
  Waiting: undefined,
}

/** Timeline causes of network-reported statuses, built once: 100k calls share these strings. */
const NETWORK_REPORTED = Object.fromEntries(
  Object.keys(END_REASON).map((status) => [status, `network reported ${status}`]),
) as Record<CallStatus, string>

/**
 * A call and what the network keeps beside it: where its lifecycle stands, and its one timer.
 * The same timer runs each lifecycle step in turn and, once the call has ended, its expiry, so
 * a call holds one small object besides itself rather than a closure and a queue entry per
 * step: those lived for seconds, long enough to be promoted out of V8's young generation and
 * collected later as old garbage (docs/performance.md).
 */
class TrackedCall implements Timer {
  timerTicket = 0
  lifecycle: Lifecycle | undefined = undefined
  /** The index of the step that runs next. */
  nextStep = 0
  /** When the step last scheduled is (or was) due: the next step's delay counts from here. */
  stepAt: number
  /** The StateChanges generation in which the call's state was last recorded for undo. */
  rememberedIn = 0

  constructor(
    readonly call: Call,
    private readonly onDue: (tracked: TrackedCall) => void,
  ) {
    this.stepAt = call.createdAt
  }

  fire(): void {
    this.onDue(this)
  }
}

/**
 * The one simulated network that every API face talks to: it owns the calls, their
 * lifecycles on the clock, and their retention after they end.
 */
export class Network {
  private readonly clock: Clock
  private readonly faker: Faker
  private readonly random: Random
  private readonly events: DomainEvents
  private readonly retentionMs: number
  private readonly changes: StateChanges | undefined
  private readonly calls = new Map<string, TrackedCall>()
  /** The calls in the order they were made, for reading the newest first. */
  private readonly order = new CreationOrder<Call>(
    (call) => this.calls.get(call.id)?.call === call,
    (call) => call.sequence,
  )
  /** An ended call's timer is its expiry; a live call's is its next lifecycle step. */
  private readonly onCallTimer = (tracked: TrackedCall): void => {
    if (TERMINAL_STATUSES.has(tracked.call.status)) this.expire(tracked.call)
    else this.runNextStep(tracked)
  }
  private readonly byCorrelator = new Map<string, string>()
  /** Calls created so far: each call's `sequence`. */
  private created = 0

  constructor(options: NetworkOptions) {
    this.clock = options.clock
    this.faker = options.faker
    this.random = options.random
    this.events = options.events
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS
    this.changes = options.changes
  }

  get size(): number {
    return this.calls.size
  }

  getCall(id: string): Call | undefined {
    return this.calls.get(id)?.call
  }

  *allCalls(): IterableIterator<Call> {
    for (const tracked of this.calls.values()) yield tracked.call
  }

  /** The calls, the newest first, each step O(1): a page of the newest needs no full walk. */
  newestCalls(): IterableIterator<Call> {
    return this.order.newestFirst()
  }

  /**
   * A call placed by the API client (CAMARA origination). The same client correlator from the
   * same owner returns the call created first, so a retried POST does not ring twice.
   */
  placeCall(input: NewCall): { call: Call; created: boolean } {
    if (input.clientCorrelator !== undefined) {
      const knownId = this.byCorrelator.get(correlatorKey(input.owner, input.clientCorrelator))
      const known = knownId === undefined ? undefined : this.calls.get(knownId)
      if (known) return { call: known.call, created: false }
    }
    const tracked = this.createCall('originating', input)
    this.events.emit({ type: 'call:created', call: tracked.call })
    this.startLifecycle(tracked, input.lifecycle)
    return { call: tracked.call, created: true }
  }

  /** A call the network offers to the API client (termination); it starts in Initial. */
  offerIncomingCall(input: NewCall): Call {
    const tracked = this.createCall('terminating', input)
    const { call } = tracked
    this.events.emit({ type: 'call:created', call })
    this.events.emit({ type: 'call:incoming', call })
    this.startLifecycle(tracked, input.lifecycle)
    return call
  }

  /** A status update from the API client on its end of the call (CAMARA PUT status). */
  requestStatus(callId: string, change: StatusChange): Result<Call, CoreError> {
    const call = this.calls.get(callId)?.call
    if (!call) return err({ kind: 'call-not-found', callId })
    const allowed = checkClientStatusRequest(call, change.status)
    if (!allowed.ok) return allowed
    this.remember(call)
    if (change.offer !== undefined) call.offer = change.offer
    if (change.answer !== undefined) call.answer = change.answer
    if (change.locationDetails !== undefined) call.locationDetails = change.locationDetails
    this.apply(call, change.status, clientActor(call.side), 'client status update')
    return ok(call)
  }

  /**
   * The client hangs up (CAMARA DELETE): before the answer the originator cancels and the
   * receiver declines; after it, either side terminates.
   */
  endCall(callId: string): Result<Call, CoreError> {
    const call = this.calls.get(callId)?.call
    if (!call) return err({ kind: 'call-not-found', callId })
    const actor = clientActor(call.side)
    const to: CallStatus = SETUP_STATUSES.has(call.status)
      ? call.side === 'originating'
        ? 'SessionCancelled'
        : 'Declined'
      : 'Terminated'
    const allowed = checkTransition(call, to)
    if (!allowed.ok) return allowed
    this.remember(call)
    this.apply(call, to, actor, 'client ended the session')
    return ok(call)
  }

  /** Ends a live call from the network side (admin API, scenario): a system release. */
  releaseCall(callId: string, status: CallStatus = 'Terminated'): Result<Call, CoreError> {
    const call = this.calls.get(callId)?.call
    if (!call) return err({ kind: 'call-not-found', callId })
    const allowed = checkTransition(call, status)
    if (!allowed.ok) return allowed
    this.remember(call)
    this.apply(call, status, 'S', 'released by the network')
    return ok(call)
  }

  /** Forgets every call and cancels their timers. */
  reset(): void {
    if (this.changes?.open) {
      const calls = [...this.calls]
      const byCorrelator = [...this.byCorrelator]
      const order = this.order.snapshot()
      this.changes.record(() => {
        for (const [id, tracked] of calls) {
          this.calls.set(id, tracked)
          this.rearm(tracked)
        }
        for (const [key, id] of byCorrelator) this.byCorrelator.set(key, id)
        this.order.replace(order)
      })
    }
    for (const tracked of this.calls.values()) this.clock.cancel(tracked)
    this.calls.clear()
    this.byCorrelator.clear()
    this.order.clear()
  }

  /**
   * Records how to put a call back as it is now (StateChanges): every field a client request
   * or a lifecycle step changes, its timeline and its timer.
   */
  private remember(call: Call): void {
    const changes = this.changes
    if (!changes?.open) return
    const tracked = this.calls.get(call.id)
    // Once per call and change: undone newest first, the first record restores the state the
    // change found, so later ones would only be overwritten. A clock step moves each ringing
    // call twice, and over 100k calls every record is held (and promoted) until it ends.
    if (tracked) {
      if (tracked.rememberedIn === changes.generation) return
      tracked.rememberedIn = changes.generation
    }
    const { status, offer, answer, locationDetails, answeredAt, endedAt, endedBy } = call
    const { endedReason, expiresAt } = call
    const entries = call.timeline.length
    const nextStep = tracked?.nextStep ?? 0
    const stepAt = tracked?.stepAt ?? call.createdAt
    changes.record(() => {
      Object.assign(call, { status, offer, answer, locationDetails, answeredAt, endedAt })
      Object.assign(call, { endedBy, endedReason, expiresAt })
      call.timeline.truncate(entries)
      if (tracked) {
        tracked.nextStep = nextStep
        tracked.stepAt = stepAt
        this.rearm(tracked)
      }
    })
  }

  /** Arms a call's one timer for what is next: its expiry once ended, else its next step. */
  private rearm(tracked: TrackedCall): void {
    this.clock.cancel(tracked)
    const { call } = tracked
    if (TERMINAL_STATUSES.has(call.status)) {
      if (call.expiresAt !== undefined) this.clock.arm(call.expiresAt, tracked)
      return
    }
    const step = tracked.lifecycle?.steps[tracked.nextStep]
    if (step) this.clock.arm(tracked.stepAt, tracked)
  }

  private createCall(side: CallSide, input: NewCall): TrackedCall {
    const now = this.clock.now()
    const faker = this.faker
    const call: Call = {
      id: this.uniqueId(),
      sipCallId: createSipCallId(faker),
      side,
      // Spelled out rather than spread: V8 gives each spread copy a map of its own once `name`
      // is added below, which cost ~200 bytes per call (docs/performance.md).
      originator: { address: input.originator.address, name: input.originator.name },
      receiver: { address: input.receiver.address, name: input.receiver.name },
      owner: input.owner,
      clientCorrelator: input.clientCorrelator,
      via: input.via,
      scenarioId: input.scenarioId,
      createdAt: now,
      sequence: this.created++,
      status: 'Initial',
      offer: input.offer,
      answer: input.answer,
      callType: input.callType,
      locationDetails: input.locationDetails,
      answeredAt: undefined,
      endedAt: undefined,
      endedBy: undefined,
      endedReason: undefined,
      expiresAt: undefined,
      timeline: new Timeline(
        now,
        'Initial',
        side === 'originating' ? 'A' : 'S',
        'session created',
        1 + input.lifecycle.steps.length,
      ),
      dataSeed: this.random.int(1, 0x7fffffff),
    }
    // The simulated party gets a realistic display name when the request gave none.
    if (side === 'originating' && call.receiver.name === undefined) {
      call.receiver.name = createPersonName(faker)
    }
    if (side === 'terminating' && call.originator.name === undefined) {
      call.originator.name = createPersonName(faker)
    }
    const tracked = new TrackedCall(call, this.onCallTimer)
    this.calls.set(call.id, tracked)
    this.order.append(call, this.calls.size)
    if (input.clientCorrelator !== undefined) {
      this.byCorrelator.set(correlatorKey(input.owner, input.clientCorrelator), call.id)
    }
    this.changes?.record(() => {
      this.clock.cancel(tracked)
      this.calls.delete(call.id)
      if (input.clientCorrelator !== undefined)
        this.byCorrelator.delete(correlatorKey(input.owner, input.clientCorrelator))
      this.created -= 1
    })
    return tracked
  }

  private uniqueId(): string {
    for (;;) {
      const id = createMediaSessionId(this.faker)
      if (!this.calls.has(id)) return id
    }
  }

  /** Plays the lifecycle one step at a time, so only the next step ever holds a timer. */
  private startLifecycle(tracked: TrackedCall, lifecycle: Lifecycle): void {
    tracked.lifecycle = lifecycle
    this.scheduleNextStep(tracked)
  }

  private scheduleNextStep(tracked: TrackedCall): void {
    const { call } = tracked
    const step = tracked.lifecycle?.steps[tracked.nextStep]
    if (!step || TERMINAL_STATUSES.has(call.status)) return
    const base = step.from === 'creation' ? call.createdAt : tracked.stepAt
    const at = Math.max(base + step.delayMs, this.clock.now())
    tracked.stepAt = at
    // reset() cancels this timer and the end of the call moves it to the expiry, so no step
    // runs for an ended or forgotten call.
    this.clock.arm(at, tracked)
  }

  private runNextStep(tracked: TrackedCall): void {
    const step = tracked.lifecycle?.steps[tracked.nextStep]
    if (!step) return
    this.remember(tracked.call)
    tracked.nextStep += 1
    this.performRemoteAction(tracked.call, step.action)
    this.scheduleNextStep(tracked)
  }

  /** The simulated far end acts. A step that no longer fits the call's state is skipped. */
  private performRemoteAction(call: Call, action: LifecycleAction): void {
    const remote: Actor = call.side === 'originating' ? 'B' : 'A'
    const attempt = (to: CallStatus, cause: string, before?: () => void): void => {
      if (!checkTransition(call, to).ok) return
      before?.()
      this.apply(call, to, remote, cause)
    }
    switch (action.kind) {
      case 'status':
        // Failures of the path (no answer, unreachable, network failure) come from the network.
        attempt(action.status, NETWORK_REPORTED[action.status])
        return
      case 'answer':
        attempt('Connected', 'remote party answered', () => this.setRemoteSdp(call))
        return
      case 'hang-up':
        if (SETUP_STATUSES.has(call.status)) {
          attempt(
            call.side === 'originating' ? 'Declined' : 'SessionCancelled',
            'remote party gave up',
          )
        } else {
          attempt('Terminated', 'remote party hung up')
        }
        return
      case 'hold':
        attempt('Hold', 'remote party put the call on hold')
        return
      case 'resume':
        attempt('Resume', 'remote party resumed the call')
        return
      case 'renegotiate':
        attempt(call.status, 'remote party re-negotiated media', () => this.setRemoteSdp(call))
        return
      case 'incoming-call':
        this.offerFollowUpCall(call, action)
        return
    }
  }

  /** A scripted incoming call; it belongs to whoever is called, by default this call's client. */
  private offerFollowUpCall(
    call: Call,
    action: Extract<LifecycleAction, { kind: 'incoming-call' }>,
  ): void {
    const clientEnd = call.side === 'originating' ? call.originator : call.receiver
    const farEnd = call.side === 'originating' ? call.receiver : call.originator
    const to = action.to ?? clientEnd.address
    this.offerIncomingCall({
      originator: { address: action.from ?? farEnd.address },
      receiver: { address: to },
      offer: this.generatedSdp(),
      owner: action.to === undefined ? (call.owner ?? to) : to,
      scenarioId: call.scenarioId,
      lifecycle: action.lifecycle,
    })
  }

  /** Seeded here, written out only when a face or an event reads it. */
  private generatedSdp(): SeededSdp {
    return new SeededSdp(this.random.int(1, 0x7fffffff))
  }

  private setRemoteSdp(call: Call): void {
    const sdp = this.generatedSdp()
    if (call.side === 'originating') call.answer = sdp
    else call.offer = sdp
  }

  private apply(call: Call, to: CallStatus, by: Actor, cause: string): void {
    const from = call.status
    const now = this.clock.now()
    call.status = to
    call.timeline.add(now, to, by, cause)
    if (to === 'Connected' && call.answeredAt === undefined) call.answeredAt = now
    if (TERMINAL_STATUSES.has(to)) this.finish(call, to, by, now)
    this.events.emit({ type: 'call:status-changed', call, from, to, by })
  }

  private finish(call: Call, status: CallStatus, by: Actor, now: number): void {
    call.endedAt = now
    // Network failures are released by the system, whoever's timer fired.
    call.endedBy =
      status === 'NoAnswer' || status === 'NotReachable' || status === 'Failed' ? 'S' : by
    call.endedReason = END_REASON[status]
    call.expiresAt = now + this.retentionMs
    const tracked = this.calls.get(call.id)
    // Moves the call's timer from its next lifecycle step, if any, to its expiry.
    if (tracked) this.clock.arm(call.expiresAt, tracked)
  }

  private expire(call: Call): void {
    const tracked = this.calls.get(call.id)
    if (tracked && this.changes?.open) {
      this.changes.record(() => {
        this.calls.set(call.id, tracked)
        this.order.restore(call)
        if (call.clientCorrelator !== undefined)
          this.byCorrelator.set(correlatorKey(call.owner, call.clientCorrelator), call.id)
        this.rearm(tracked)
      })
    }
    this.calls.delete(call.id)
    this.order.died(this.calls.size)
    if (call.clientCorrelator !== undefined) {
      this.byCorrelator.delete(correlatorKey(call.owner, call.clientCorrelator))
    }
    this.events.emit({ type: 'call:expired', callId: call.id, call })
  }
}

function clientActor(side: CallSide): Actor {
  return side === 'originating' ? 'A' : 'B'
}

function correlatorKey(owner: string | undefined, correlator: string): string {
  return `${owner ?? ''}\u0000${correlator}`
}
