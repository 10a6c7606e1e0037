import { expect, test } from 'vitest'
import { BodyRing } from '../../../src/http/body-ring.js'

function keep(ring: BodyRing, text: string | Uint8Array): { start: number; end: number } {
  const start = ring.store(text)
  return { start, end: ring.end }
}

test('gives back each text as stored, UTF-8 included', () => {
  const ring = new BodyRing(1024)
  const texts = ['{"a":1}', '', 'é ☎ 𝄞 \u0000 end', 'x'.repeat(300)]
  const places = texts.map((text) => keep(ring, text))
  expect(places.map(({ start, end }) => ring.read(start, end))).toEqual(texts)
})

test('keeps bytes received as the text they encode, without decoding them first', () => {
  const ring = new BodyRing(64)
  const received = Buffer.from('{"sdp":"v=0 é"}')
  const place = keep(ring, received)
  const after = keep(ring, 'next')
  expect(ring.read(place.start, place.end)).toBe('{"sdp":"v=0 é"}')
  expect(ring.read(after.start, after.end)).toBe('next')
  expect(ring.store(new Uint8Array(65))).toBe(-1)
})

test('lets the oldest texts go once newer ones need their room, never a half-overwritten one', () => {
  const ring = new BodyRing(100)
  const places = Array.from({ length: 10 }, (_, index) => keep(ring, String(index).repeat(30)))
  // 30 bytes each in 100: the newest three fit, then the ring starts again at the front.
  const read = places.map(({ start, end }) => ring.read(start, end))
  expect(read.slice(0, 7)).toEqual(Array.from({ length: 7 }, () => undefined))
  expect(read.slice(7)).toEqual(['7'.repeat(30), '8'.repeat(30), '9'.repeat(30)])
})

test('starts a text again at the front rather than splitting it at the end', () => {
  const ring = new BodyRing(64)
  const first = keep(ring, 'a'.repeat(40))
  const second = keep(ring, 'b'.repeat(40))
  expect(ring.read(second.start, second.end)).toBe('b'.repeat(40))
  expect(ring.read(first.start, first.end)).toBeUndefined()
})

test('keeps no text larger than the whole ring', () => {
  const ring = new BodyRing(16)
  const small = keep(ring, 'kept')
  expect(ring.store('y'.repeat(17))).toBe(-1)
  expect(ring.read(-1, 0)).toBeUndefined()
  expect(ring.read(small.start, small.end)).toBe('kept')
})

test('a text that fits only by its exact UTF-8 length is still kept where it is', () => {
  // 20 units of 'é' are 40 bytes: the three-bytes-per-unit bound (60) would not fit after 20 bytes.
  const ring = new BodyRing(64)
  const first = keep(ring, 'a'.repeat(20))
  const second = keep(ring, 'é'.repeat(20))
  expect(ring.read(first.start, first.end)).toBe('a'.repeat(20))
  expect(ring.read(second.start, second.end)).toBe('é'.repeat(20))
})

test('forgets everything when cleared', () => {
  const ring = new BodyRing(64)
  keep(ring, 'old')
  ring.clear()
  const fresh = keep(ring, 'new')
  expect(ring.read(fresh.start, fresh.end)).toBe('new')
})

test('takes its memory as texts fill it, not all when it is made', () => {
  const before = process.memoryUsage().arrayBuffers
  const rings = Array.from({ length: 8 }, () => new BodyRing(8 * 1024 * 1024))
  for (const ring of rings) keep(ring, '{"a":1}')
  expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1024 * 1024)
  expect(rings.map((ring) => ring.read(0, 7))).toEqual(Array(8).fill('{"a":1}'))
})

test('keeps every text as it grows, and loses only the oldest once it is full', () => {
  const ring = new BodyRing(1024 * 1024)
  const texts = Array.from({ length: 300 }, (_, index) => `${index}:`.padEnd(10_000, 'é☎'))
  // The first 30 texts of ~25 KB fill most of the 1 MiB: the buffer grew from 64 KiB, texts and all.
  const places = texts.slice(0, 30).map((text) => keep(ring, text))
  const readAll = (): (string | undefined)[] =>
    places.map(({ start, end }) => ring.read(start, end))
  expect(readAll()).toEqual(texts.slice(0, 30))
  places.push(...texts.slice(30).map((text) => keep(ring, text)))
  const read = readAll()
  // 300 texts in the ring: the newest ~40 are still there, the older gone.
  expect(read.slice(-40)).toEqual(texts.slice(-40))
  expect(read.slice(0, 250).every((text) => text === undefined)).toBe(true)
  expect(ring.store('x'.repeat(2 * 1024 * 1024))).toBe(-1)
})
