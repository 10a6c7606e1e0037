import { expect, test } from 'vitest'
import { layoutLadder, sipMessageOf } from '../../../src/console/page/ladder-layout.js'
import type { AdminCall, CallLadder, TimelineEntry } from '../../../src/console/page/types.js'

const at = (ms: number): string => new Date(Date.UTC(2025, 0, 1) + ms).toISOString()

function setup(overrides: Partial<AdminCall> = {}, timeline: TimelineEntry[] = []): CallLadder {
  const call: AdminCall = {
    id: 'CALL1',
    sipCallId: '1@192.0.2.1',
    side: 'originating',
    originatorAddress: 'tel:+15550001',
    receiverAddress: 'tel:+15550002',
    via: 'camara-call-handling',
    status: 'Connected',
    scenarioId: 'default',
    createdAt: at(0),
    timeline: [
      { at: at(0), from: null, to: 'Initial', by: 'A', cause: 'session created' },
      {
        at: at(200),
        from: 'Initial',
        to: 'InProgress',
        by: 'B',
        cause: 'network reported InProgress',
      },
      {
        at: at(4000),
        from: 'InProgress',
        to: 'Connected',
        by: 'B',
        cause: 'remote party answered',
      },
      ...timeline,
    ],
    ...overrides,
  }
  return {
    call,
    now: at(4000),
    omittedExchanges: 0,
    exchanges: [
      {
        seq: 7,
        at: at(0),
        method: 'POST',
        path: '/webrtc-call-handling/vwip/sessions?x=1',
        face: 'camara-call-handling',
        operationId: 'createSession',
        status: 201,
        durationMs: 1.25,
        requestViolations: [],
        responseViolations: [
          {
            direction: 'response',
            operationId: 'createSession',
            location: 'body',
            path: 'body.receiverName',
            keyword: 'maxLength',
            message: 'must NOT have more than 2 characters',
          },
        ],
        requestBody: '{"receiverAddress":"tel:+15550002"}',
        responseBody: '{"mediaSessionId":"CALL1"}',
      },
    ],
    deliveries: [
      {
        seq: 1,
        at: at(200),
        eventType: 'org.camaraproject.webrtc-events.v0.session-status',
        sink: 'https://sink.example/events',
        attempt: 1,
        result: 'failed',
        status: 503,
        nextAttemptAt: at(1200),
        event: { id: 'sub-1', data: { status: 'InProgress' } },
      },
    ],
  }
}

test('orders a call by the simulator clock: the exchange, then the status changes and events it caused', () => {
  const steps = layoutLadder(setup())
  expect(
    steps.map((step) => `${step.offsetMs} ${step.kind} ${step.from}->${step.to} ${step.label}`),
  ).toEqual([
    '0 request app->network POST /webrtc-call-handling/vwip/sessions',
    '0 response network->app 201',
    '0 transition network->far INVITE → Initial',
    '200 transition far->network 183 Session Progress → InProgress',
    '200 delivery network->sink session-status · 503 failed',
    '4000 transition far->network 200 OK → Connected',
  ])
})

test('marks a response that broke the spec and shows its exact body and violation on click', () => {
  const response = layoutLadder(setup()).find((step) => step.kind === 'response')
  expect(response).toMatchObject({ tone: 'violation', violations: 1, detail: '1.3 ms' })
  expect(response?.payload.body).toContain('"mediaSessionId": "CALL1"')
  expect(response?.payload.body).toContain(
    'body.receiverName: must NOT have more than 2 characters',
  )
})

test('shows a failed delivery with its retry time and the CloudEvent it carried', () => {
  const delivery = layoutLadder(setup()).find((step) => step.kind === 'delivery')
  expect(delivery).toMatchObject({ tone: 'error', detail: `attempt 1 · retry at ${at(1200)}` })
  expect(delivery?.payload.body).toContain('"status": "InProgress"')
})

test('names the SIP code a call ended with, and who ended it', () => {
  const ladder = setup({ status: 'Failed', endedReason: '503', endedBy: 'B' }, [
    { at: at(5000), from: 'Connected', to: 'Failed', by: 'B', cause: 'remote failure' },
  ])
  const last = ladder.call.timeline[3] as TimelineEntry
  expect(sipMessageOf(ladder.call, last, true)).toBe('503 Service Unavailable')
  expect(layoutLadder(ladder).at(-1)).toMatchObject({
    from: 'far',
    to: 'network',
    label: '503 Service Unavailable → Failed',
    detail: 'remote failure · by B · ended by B',
  })
})

test('draws an incoming call from the far end, and a hang-up by the client towards it', () => {
  const ladder = setup(
    { side: 'terminating', status: 'Terminated', endedReason: 'BYE', endedBy: 'B' },
    [
      {
        at: at(6000),
        from: 'Connected',
        to: 'Terminated',
        by: 'B',
        cause: 'client ended the session',
      },
    ],
  )
  const transitions = layoutLadder(ladder).filter((step) => step.kind === 'transition')
  expect(transitions[0]).toMatchObject({ from: 'far', to: 'network', label: 'INVITE → Initial' })
  expect(transitions.at(-1)).toMatchObject({
    from: 'network',
    to: 'far',
    label: 'BYE → Terminated',
  })
})

test('puts the far end’s changes at an instant before a request made at it, and shortens long ids', () => {
  const ladder = setup()
  const hangUp = {
    ...(ladder.exchanges[0] as CallLadder['exchanges'][number]),
    seq: 9,
    at: at(4000),
    method: 'DELETE',
    path: '/webrtc-call-handling/vwip/sessions/5FE1DC79F3620345BB63F4789941AEB327F0D66E27EF41C3',
    status: 204,
    responseViolations: [],
  }
  const steps = layoutLadder({ ...ladder, exchanges: [...ladder.exchanges, hangUp] })
  expect(steps.slice(-3).map((step) => step.label)).toEqual([
    '200 OK → Connected',
    'DELETE /webrtc-call-handling/vwip/sessions/5FE1DC79…',
    '204',
  ])
})
