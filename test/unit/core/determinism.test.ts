import { expect, test } from 'vitest'
import {
  DEFAULT_LIFECYCLE,
  DomainEvents,
  Network,
  VirtualClock,
  createFaker,
  createRandom,
  createSdp,
  SeededSdp,
} from '../../../src/core/index.js'

/** Plays the same small session mix on a fresh network and returns everything generated. */
function playSessions(seed: number) {
  const clock = new VirtualClock()
  const network = new Network({
    clock,
    faker: createFaker(seed),
    random: createRandom(seed),
    events: new DomainEvents(),
  })
  for (let i = 0; i < 5; i += 1) {
    network.placeCall({
      originator: { address: 'tel:+15550001' },
      receiver: { address: `tel:+1555000${i + 2}` },
      offer: { sdp: 'v=0\r\n' },
      owner: 'tel:+15550001',
      scenarioId: 'default',
      lifecycle: DEFAULT_LIFECYCLE,
    })
    network.offerIncomingCall({
      originator: { address: `tel:+1555100${i}` },
      receiver: { address: 'tel:+15550001' },
      owner: 'tel:+15550001',
      scenarioId: 'default',
      lifecycle: { steps: [] },
    })
  }
  clock.advance(5000)
  return [...network.allCalls()].map((call) => ({
    id: call.id,
    sipCallId: call.sipCallId,
    names: [call.originator.name, call.receiver.name],
    answer: call.answer?.sdp,
    dataSeed: call.dataSeed,
    timeline: call.timeline.entries(),
  }))
}

test('generates identical ids, names and SDPs from the same seed', () => {
  const first = playSessions(1234)
  const second = playSessions(1234)
  expect(second).toEqual(first)
  expect(first).toHaveLength(10)
  expect(first.filter((call) => call.answer !== undefined)).toHaveLength(5)
})

test('generates different data from a different seed', () => {
  const a = playSessions(1)
  const b = playSessions(2)
  expect(b.map((call) => call.id)).not.toEqual(a.map((call) => call.id))
  expect(b.map((call) => call.answer)).not.toEqual(a.map((call) => call.answer))
})

test('never repeats a media session id within a run', () => {
  const ids = playSessions(99).map((call) => call.id)
  expect(new Set(ids).size).toBe(ids.length)
  for (const id of ids) expect(id).toMatch(/^[0-9A-F]{48}$/)
})

test('draws SDPs only from the generator it is given, never from a global one', () => {
  const sdpA = createSdp(createRandom(5))
  createSdp(createRandom(6))
  expect(createSdp(createRandom(5))).toBe(sdpA)
  expect(sdpA.endsWith('\r\n')).toBe(true)
  expect(sdpA.split('\r\n')[0]).toBe('v=0')
})

test('repeats the seeded random sequence', () => {
  const a = createRandom(42)
  const b = createRandom(42)
  const draws = Array.from({ length: 100 }, () => a.next())
  expect(Array.from({ length: 100 }, () => b.next())).toEqual(draws)
  for (const value of draws) {
    expect(value).toBeGreaterThanOrEqual(0)
    expect(value).toBeLessThan(1)
  }
  const ints = Array.from({ length: 1000 }, () => a.int(3, 5))
  expect(new Set(ints)).toEqual(new Set([3, 4, 5]))
})

test('writes a generated SDP out from its seed when first read, and serialises it as { sdp }', () => {
  const sdp = new SeededSdp(77)
  // Nothing but `sdp` is visible to JSON or to a schema's additionalProperties.
  expect(Object.keys(sdp)).toEqual([])
  expect(sdp.sdp).toBe(createSdp(createRandom(77)))
  expect(sdp.sdp).toBe(new SeededSdp(77).sdp)
  expect(JSON.parse(JSON.stringify({ answer: sdp }))).toEqual({ answer: { sdp: sdp.sdp } })
  expect(new SeededSdp(78).sdp).not.toBe(sdp.sdp)
})
