import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { TYPES, eventsOf, expectValidEvents, setup } from './setup.js'

const OFFICIAL_EVENTS_FILE = fileURLToPath(
  new URL('../../contract/fixtures/webrtc-events.yaml', import.meta.url),
)

test('serves the official CAMARA WebRTC Events file unchanged and delivers the same events', async () => {
  const { simulator, subscribe, placeCall, advance, sink } = await setup({
    specs: [OFFICIAL_EVENTS_FILE],
  })
  expect(simulator.faces.find((face) => face.id === 'camara-events')?.spec.spec.source).toMatch(
    /fixtures\/webrtc-events\.yaml$/,
  )
  await subscribe(TYPES.status, { subscriptionMaxEvents: 3 })
  await placeCall()
  advance(4000)
  const received = await sink.waitFor(4)
  expectValidEvents(received)
  expect(eventsOf(received).map((e) => e.data.status ?? e.data.terminationReason)).toEqual([
    'InProgress',
    'Ringing',
    'Connected',
    'MAX_EVENTS_REACHED',
  ])
})
