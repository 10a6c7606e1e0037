import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, BOB, CALLS, OFFER, TYPES, eventsOf, expectValidEvents, setup } from './setup.js'

const ANSWER = {
  sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n',
}

test('offers an incoming call that the callee answers through call handling, with the events in order', async () => {
  const { subscribe, startIncomingCall, sink, http, auth, tokens } = await setup()
  const invitations = await subscribe(TYPES.invitation)
  const statuses = await subscribe(TYPES.status)

  const offered = await startIncomingCall()
  expect(offered.status).toBe(201)
  expect(offered.headers['content-type']).toBe('application/json')
  expect(offered.body).toMatchObject({
    side: 'terminating',
    originatorAddress: BOB,
    receiverAddress: ALICE,
    owner: ALICE,
    status: 'Initial',
    scenarioId: 'incoming-call',
    invitedSubscriptions: [invitations],
  })
  const mediaSessionId = offered.body.id as string

  const [invitation] = eventsOf(await sink.waitFor(1))
  expect(invitation).toMatchObject({
    id: `${invitations}-1`,
    type: TYPES.invitation,
    time: '2025-01-01T00:00:00.000Z',
    data: {
      subscriptionId: invitations,
      mediaSessionId,
      originatorAddress: BOB,
      originatorName: 'Bob',
      receiverAddress: ALICE,
      status: 'Initial',
      sequenceNumber: 1,
      offer: { sdp: expect.stringMatching(/^v=0\r\n/) },
    },
  })

  const session = `${CALLS}/sessions/${mediaSessionId}`
  const read = await http.get(session).set(auth(tokens.alice))
  expect(read.status).toBe(200)
  expect(read.body).toMatchObject({
    mediaSessionId,
    originatorAddress: BOB,
    receiverAddress: ALICE,
    status: 'Initial',
    offer: invitation?.data.offer,
  })
  for (const change of [
    { status: 'InProgress', answer: ANSWER },
    { status: 'Ringing' },
    { status: 'Connected' },
  ]) {
    const updated = await http.put(`${session}/status`).set(auth(tokens.alice)).send(change)
    expect(updated.status).toBe(200)
    expect(updated.body.status).toBe(change.status)
  }

  const received = await sink.waitFor(4)
  expectValidEvents(received)
  const events = eventsOf(received)
  expect(
    events.map(
      (e) =>
        `${e.type.split('.').at(-1)} ${String(e.data.status)} #${String(e.data.sequenceNumber)}`,
    ),
  ).toEqual([
    'session-invitation Initial #1',
    'session-status InProgress #2',
    'session-status Ringing #3',
    'session-status Connected #4',
  ])
  expect(events.slice(1).map((e) => e.data.subscriptionId)).toEqual([statuses, statuses, statuses])
  expect(events[1]?.data.answer).toEqual(ANSWER)
  expect(events[1]?.data.reason).toBe('client status update')
})

test('lets the caller give up before the answer, which ends the call SessionCancelled', async () => {
  const { subscribe, startIncomingCall, sink, advance, http, auth, tokens } = await setup()
  await subscribe(TYPES.status)
  const offered = await startIncomingCall({ cancelAfter: '10s' })
  advance(9999)
  expect(
    (await http.get(`${CALLS}/sessions/${offered.body.id}`).set(auth(tokens.alice))).body.status,
  ).toBe('Initial')
  advance(1)
  const [cancelled] = eventsOf(await sink.waitFor(1))
  expect(cancelled).toMatchObject({
    data: { status: 'SessionCancelled', reason: 'remote party gave up' },
  })
  expect(
    (await http.get(`${CALLS}/sessions/${offered.body.id}`).set(auth(tokens.alice))).body.status,
  ).toBe('SessionCancelled')
})

test('ends an unanswered incoming call with NoAnswer after 60 s unless told otherwise', async () => {
  const { subscribe, startIncomingCall, sink, advance, simulator } = await setup()
  await subscribe(TYPES.status)
  const offered = await startIncomingCall()
  advance(59_999)
  await simulator.notifier.settled()
  expect(sink.received).toHaveLength(0)
  advance(1)
  const [noAnswer] = eventsOf(await sink.waitFor(1))
  expect(noAnswer).toMatchObject({
    data: { mediaSessionId: offered.body.id, status: 'NoAnswer' },
    time: '2025-01-01T00:01:00.000Z',
  })
})

test('keeps an answered incoming call up when the no-answer timer would have fired', async () => {
  const { startIncomingCall, advance, http, auth, tokens } = await setup()
  const offered = await startIncomingCall({ noAnswerAfter: '5s' })
  const status = `${CALLS}/sessions/${offered.body.id}/status`
  await http.put(status).set(auth(tokens.alice)).send({ status: 'Connected', answer: ANSWER })
  advance(60_000)
  expect(
    (await http.get(`${CALLS}/sessions/${offered.body.id}`).set(auth(tokens.alice))).body.status,
  ).toBe('Connected')
})

test('lets the callee decline an incoming call with DELETE', async () => {
  const { subscribe, startIncomingCall, sink, http, auth, tokens } = await setup()
  await subscribe(TYPES.status)
  const offered = await startIncomingCall()
  expect(
    (await http.delete(`${CALLS}/sessions/${offered.body.id}`).set(auth(tokens.alice))).status,
  ).toBe(204)
  const [declined] = eventsOf(await sink.waitFor(1))
  expect(declined).toMatchObject({
    data: { status: 'Declined', reason: 'client ended the session' },
  })
})

test('refuses a callee without a registered device, and addresses the events spec cannot carry', async () => {
  const { startIncomingCall, http } = await setup()
  expectErrorInfo(
    await startIncomingCall({ to: 'tel:+15550009' }),
    409,
    'NOT_REGISTERED',
    /tel:\+15550009 has no registered device/,
  )
  expectErrorInfo(
    await startIncomingCall({ from: 'urn:service:sos' }),
    400,
    'INVALID_ARGUMENT',
    /from must match the pattern/,
  )
  expectErrorInfo(
    await startIncomingCall({ from: ALICE }),
    400,
    'INVALID_ARGUMENT',
    /a subscriber cannot call itself/,
  )
  expectErrorInfo(
    await startIncomingCall({ cancelAfter: 'soon' }),
    400,
    'INVALID_ARGUMENT',
    /cancelAfter: "soon" is not a duration/,
  )
  expect((await http.get('/_callsim/calls')).body.total).toBe(0)
})

test('offers the call without an invitation to send when the callee has no subscription', async () => {
  const { startIncomingCall, sink, simulator } = await setup({ registration: 'optional' })
  const offered = await startIncomingCall({ to: 'tel:+15550009', offer: OFFER })
  expect(offered.status).toBe(201)
  expect(offered.body.invitedSubscriptions).toEqual([])
  await simulator.notifier.settled()
  expect(sink.received).toHaveLength(0)
  expect(simulator.notifier.backlog()).toBe(0)
})
