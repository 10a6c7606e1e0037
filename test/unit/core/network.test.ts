import { expect, test } from 'vitest'
import {
  DEFAULT_LIFECYCLE,
  DEFAULT_RETENTION_MS,
  DomainEvents,
  Network,
  StateChanges,
  VirtualClock,
  createFaker,
  createRandom,
  type DomainEvent,
  type Lifecycle,
  type NewCall,
} from '../../../src/core/index.js'

const ALICE = 'tel:+15550001'
const BOB = 'tel:+15550002'
const OFFER = { sdp: 'v=0\r\n' }
/** An incoming call that waits for the client: no scripted steps from the far end. */
const WAIT_FOR_CLIENT: Lifecycle = { steps: [] }

function setup({
  withChanges = false,
  ...options
}: { retentionMs?: number; withChanges?: boolean } = {}) {
  const clock = new VirtualClock()
  const events = new DomainEvents()
  // Requests' changes, held back until committed, as the HTTP shell runs them.
  const changes = withChanges ? new StateChanges(events) : undefined
  const seen: DomainEvent[] = []
  events.subscribe((event) => seen.push(event))
  const network = new Network({
    clock,
    faker: createFaker(42),
    random: createRandom(42),
    events,
    ...options,
    ...(changes ? { changes } : {}),
  })
  const outgoing = (overrides: Partial<NewCall> = {}) =>
    network.placeCall({
      originator: { address: ALICE },
      receiver: { address: BOB },
      offer: OFFER,
      owner: ALICE,
      scenarioId: 'default',
      lifecycle: DEFAULT_LIFECYCLE,
      ...overrides,
    })
  const incoming = (lifecycle: Lifecycle = WAIT_FOR_CLIENT) =>
    network.offerIncomingCall({
      originator: { address: BOB },
      receiver: { address: ALICE },
      offer: OFFER,
      owner: ALICE,
      scenarioId: 'default',
      lifecycle,
    })
  const start = clock.now()
  const statusChanges = () =>
    seen.flatMap((event) =>
      event.type === 'call:status-changed' ? [`${event.from}→${event.to} by ${event.by}`] : [],
    )
  return { clock, network, changes, seen, outgoing, incoming, start, statusChanges }
}

test('plays the default lifecycle Initial → InProgress → Ringing → Connected on the clock', () => {
  const { clock, outgoing, start } = setup()
  const { call, created } = outgoing()
  expect(created).toBe(true)
  expect(call.status).toBe('Initial')
  const statusAt = (ms: number) => {
    clock.advance(start + ms - clock.now())
    return call.status
  }
  expect(statusAt(199)).toBe('Initial')
  expect(statusAt(200)).toBe('InProgress')
  expect(statusAt(999)).toBe('InProgress')
  expect(statusAt(1000)).toBe('Ringing')
  expect(statusAt(3999)).toBe('Ringing')
  expect(statusAt(4000)).toBe('Connected')
  expect(
    call.timeline.entries().map((entry) => [entry.at - start, entry.from, entry.to, entry.by]),
  ).toEqual([
    [0, null, 'Initial', 'A'],
    [200, 'Initial', 'InProgress', 'B'],
    [1000, 'InProgress', 'Ringing', 'B'],
    [4000, 'Ringing', 'Connected', 'B'],
  ])
  expect(call.answeredAt).toBe(start + 4000)
  expect(clock.pending()).toBe(0)
})

test('gives the caller the far end’s generated answer SDP and a display name for the callee', () => {
  const { clock, outgoing } = setup()
  const { call } = outgoing()
  expect(call.answer).toBeUndefined()
  expect(call.receiver.name).toMatch(/^\S+$/)
  expect(call.originator.name).toBeUndefined()
  clock.advance(4000)
  expect(call.answer?.sdp).toMatch(
    /^v=0\r\no=- \d+ 2 IN IP4 127\.0\.0\.1\r\n[\s\S]*m=audio \d+ RTP\/SAVPF 102 113\r\n[\s\S]*a=rtpmap:102 AMR-WB\/16000\r\n/,
  )
  expect(call.offer).toEqual(OFFER)
})

test('emits call:created and one call:status-changed per step', () => {
  const { clock, outgoing, seen, statusChanges } = setup()
  const { call } = outgoing()
  clock.advance(5000)
  expect(seen[0]).toEqual({ type: 'call:created', call })
  expect(statusChanges()).toEqual([
    'Initial→InProgress by B',
    'InProgress→Ringing by B',
    'Ringing→Connected by B',
  ])
})

test('cancels the call when the originator hangs up before the answer (DELETE → SessionCancelled)', () => {
  const { clock, network, outgoing, start } = setup()
  const { call } = outgoing()
  clock.advance(1500)
  const ended = network.endCall(call.id)
  expect(ended.ok).toBe(true)
  expect(call.status).toBe('SessionCancelled')
  expect(call).toMatchObject({
    endedAt: start + 1500,
    endedBy: 'A',
    endedReason: 'CANCEL',
    expiresAt: start + 1500 + DEFAULT_RETENTION_MS,
  })
  // The lifecycle stops: the far end never answers a cancelled call.
  clock.advance(10_000)
  expect(call.status).toBe('SessionCancelled')
  expect(call.answer).toBeUndefined()
})

test('declines an incoming call when the receiver hangs up before the answer (DELETE → Declined)', () => {
  const { network, incoming, seen } = setup()
  const call = incoming()
  expect(call.side).toBe('terminating')
  expect(call.status).toBe('Initial')
  expect(call.originator.name).toMatch(/^\S+$/)
  expect(seen.map((event) => event.type)).toEqual(['call:created', 'call:incoming'])
  expect(network.requestStatus(call.id, { status: 'Ringing' }).ok).toBe(true)
  expect(network.endCall(call.id).ok).toBe(true)
  expect(call).toMatchObject({ status: 'Declined', endedBy: 'B', endedReason: '603' })
})

test('lets the receiver answer an incoming call with its SDP, then terminates it on DELETE', () => {
  const { clock, network, incoming, statusChanges } = setup()
  const call = incoming()
  const answer = { sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n' }
  expect(network.requestStatus(call.id, { status: 'InProgress', answer }).ok).toBe(true)
  expect(network.requestStatus(call.id, { status: 'Ringing' }).ok).toBe(true)
  clock.advance(2000)
  expect(network.requestStatus(call.id, { status: 'Connected' }).ok).toBe(true)
  expect(call.answer).toEqual(answer)
  expect(call.answeredAt).toBe(clock.now())
  expect(network.endCall(call.id).ok).toBe(true)
  expect(call).toMatchObject({ status: 'Terminated', endedBy: 'B', endedReason: 'BYE' })
  expect(statusChanges()).toEqual([
    'Initial→InProgress by B',
    'InProgress→Ringing by B',
    'Ringing→Connected by B',
    'Connected→Terminated by B',
  ])
})

test('terminates an answered outgoing call on DELETE (→ Terminated, BYE by A)', () => {
  const { clock, network, outgoing } = setup()
  const { call } = outgoing()
  clock.advance(4000)
  expect(network.requestStatus(call.id, { status: 'Hold' }).ok).toBe(true)
  expect(network.requestStatus(call.id, { status: 'Resume' }).ok).toBe(true)
  expect(network.endCall(call.id).ok).toBe(true)
  expect(call).toMatchObject({ status: 'Terminated', endedBy: 'A', endedReason: 'BYE' })
})

test('refuses a second DELETE with a reason, and leaves the call as it was', () => {
  const { network, outgoing } = setup()
  const { call } = outgoing()
  network.endCall(call.id)
  const before = structuredClone(call)
  const again = network.endCall(call.id)
  expect(again).toEqual({
    ok: false,
    error: {
      kind: 'call-ended',
      callId: call.id,
      status: 'SessionCancelled',
      requested: 'cannot terminate a SessionCancelled session; the call has already ended',
    },
  })
  expect(call).toEqual(before)
})

test('keeps a finished call readable for the retention period, then forgets it', () => {
  const { clock, network, outgoing, seen } = setup({ retentionMs: 60_000 })
  const { call } = outgoing()
  network.endCall(call.id)
  clock.advance(59_999)
  expect(network.getCall(call.id)).toBe(call)
  clock.advance(1)
  expect(network.getCall(call.id)).toBeUndefined()
  expect(network.size).toBe(0)
  expect(seen.at(-1)).toEqual({ type: 'call:expired', callId: call.id, call })
  expect(network.endCall(call.id)).toEqual({
    ok: false,
    error: { kind: 'call-not-found', callId: call.id },
  })
  expect(clock.pending()).toBe(0)
})

test('returns the first call for a repeated client correlator from the same owner', () => {
  const { network, outgoing } = setup()
  const first = outgoing({ clientCorrelator: 'retry-1' })
  const second = outgoing({ clientCorrelator: 'retry-1', receiver: { address: 'tel:+15550003' } })
  expect(second.created).toBe(false)
  expect(second.call).toBe(first.call)
  expect(network.size).toBe(1)
})

test('scopes client correlators to their owner, and creates a new call without one', () => {
  const { network, outgoing } = setup()
  const alices = outgoing({ clientCorrelator: 'same' })
  const carols = outgoing({
    clientCorrelator: 'same',
    owner: 'tel:+15550003',
    originator: { address: 'tel:+15550003' },
  })
  const plain = outgoing()
  expect(carols.created).toBe(true)
  expect(carols.call.id).not.toBe(alices.call.id)
  expect(plain.call.id).not.toBe(alices.call.id)
  expect(network.size).toBe(3)
})

test('frees a client correlator once its call has passed retention', () => {
  const { clock, network, outgoing } = setup({ retentionMs: 1000 })
  const first = outgoing({ clientCorrelator: 'c' })
  network.endCall(first.call.id)
  clock.advance(1000)
  const again = outgoing({ clientCorrelator: 'c' })
  expect(again.created).toBe(true)
  expect(again.call.id).not.toBe(first.call.id)
})

test('ends a live call from the network side as a system release', () => {
  const { clock, network, outgoing } = setup()
  const { call } = outgoing()
  clock.advance(4000)
  expect(network.releaseCall(call.id).ok).toBe(true)
  expect(call).toMatchObject({ status: 'Terminated', endedBy: 'S', endedReason: 'BYE' })
})

test('marks a network failure as released by the system whoever was on the line', () => {
  const { clock, outgoing } = setup()
  const { call } = outgoing({
    lifecycle: {
      steps: [{ delayMs: 1000, from: 'creation', action: { kind: 'status', status: 'NoAnswer' } }],
    },
  })
  clock.advance(1000)
  expect(call).toMatchObject({ status: 'NoAnswer', endedBy: 'S', endedReason: '480' })
})

test('skips a scripted step that no longer fits the call', () => {
  const { clock, network, outgoing } = setup()
  // The far end tries to hold before it has answered: that step is skipped, the later ones run.
  const { call } = outgoing({
    lifecycle: {
      steps: [
        { delayMs: 1000, from: 'creation', action: { kind: 'hold' } },
        { delayMs: 3000, from: 'creation', action: { kind: 'answer' } },
        { delayMs: 5000, from: 'creation', action: { kind: 'hang-up' } },
      ],
    },
  })
  clock.advance(1000)
  expect(call.status).toBe('Initial')
  clock.advance(2000)
  expect(call.status).toBe('Connected')
  clock.advance(2000)
  expect(call).toMatchObject({ status: 'Terminated', endedBy: 'B' })
  expect(network.getCall(call.id)).toBe(call)
})

test('refuses a status update for an unknown call', () => {
  const { network } = setup()
  expect(network.requestStatus('NOPE', { status: 'Hold' })).toEqual({
    ok: false,
    error: { kind: 'call-not-found', callId: 'NOPE' },
  })
})

test('leaves the call unchanged when a status update is refused', () => {
  const { network, outgoing } = setup()
  const { call } = outgoing()
  const refused = network.requestStatus(call.id, {
    status: 'Connected',
    answer: { sdp: 'v=0\r\n' },
  })
  expect(refused.ok).toBe(false)
  expect(call.status).toBe('Initial')
  expect(call.answer).toBeUndefined()
  expect(call.timeline).toHaveLength(1)
})

test('forgets every call and cancels every timer on reset', () => {
  const { clock, network, outgoing } = setup()
  outgoing()
  const ended = outgoing().call
  network.endCall(ended.id)
  expect(clock.pending()).toBe(2)
  network.reset()
  expect(network.size).toBe(0)
  expect(clock.pending()).toBe(0)
})

test('reads the calls newest first, without the ones that expired or were reset away', () => {
  const { clock, network, outgoing } = setup({ retentionMs: 60_000 })
  const ids = Array.from({ length: 300 }, () => outgoing().call.id)
  // Every other call ends and expires: far more dead entries than the order list keeps.
  for (const id of ids.filter((_, i) => i % 2 === 0)) network.endCall(id)
  clock.advance(60_000)
  const live = ids.filter((_, i) => i % 2 === 1)
  const later = outgoing().call.id
  expect([...network.newestCalls()].map((call) => call.id)).toEqual([later, ...live.reverse()])
  network.reset()
  expect([...network.newestCalls()]).toEqual([])
  expect(outgoing().call.sequence).toBeGreaterThan(0)
})

test('puts a call back in its place when the change that expired or reset it is rolled back', () => {
  const { clock, network, changes, outgoing } = setup({ retentionMs: 1000, withChanges: true })
  if (!changes) throw new Error('setup() made no StateChanges')
  const place = () => outgoing().call
  // Calls that ended, then one that stays: the ended ones expire inside a request's change, a
  // new call then compacts the order list without them, and the request fails: they are back,
  // each in its place.
  const ended = Array.from({ length: 200 }, place)
  for (const call of ended) network.endCall(call.id)
  const staying = place()
  changes.begin()
  clock.advance(1000)
  expect(network.size).toBe(1)
  place()
  changes.rollback()
  expect(network.getCall(ended[0]?.id ?? '')).toBe(ended[0])
  const newest = [...network.newestCalls()].map((call) => call.id)
  expect(newest).toEqual([staying.id, ...ended.map((call) => call.id).reverse()])

  changes.begin()
  network.reset()
  changes.rollback()
  expect([...network.newestCalls()].map((call) => call.id)).toEqual(newest)
})

test('puts a call back as it was when a change that moved it several steps is rolled back', () => {
  const { clock, changes, outgoing } = setup({ withChanges: true })
  if (!changes) throw new Error('setup() made no StateChanges')
  const { call } = outgoing()
  // The default lifecycle moves the call to InProgress, Ringing and Connected within 4 s: one
  // clock step inside a request's change runs all three, and the request fails.
  changes.begin()
  clock.advance(5000)
  expect(call.status).toBe('Connected')
  changes.rollback()
  expect(call.status).toBe('Initial')
  expect(call.timeline).toHaveLength(1)
  expect(call.answer).toBeUndefined()
  expect(call.answeredAt).toBeUndefined()
  // The clock has moved on, so its timer runs the steps that are due again, each once; the
  // answer then comes 3 s after Ringing, as the lifecycle says.
  changes.begin()
  clock.advance(0)
  changes.commit()
  expect(call.status).toBe('Ringing')
  clock.advance(3000)
  expect(call.status).toBe('Connected')
  expect(call.answeredAt).toBe(clock.now())
  expect(call.timeline.entries().map((entry) => entry.to)).toEqual([
    'Initial',
    'InProgress',
    'Ringing',
    'Connected',
  ])
})
