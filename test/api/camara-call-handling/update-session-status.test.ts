import { afterEach, describe, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, ANSWER_AFTER_MS, expectResponsesMatchOfficialSpec, setup } from './setup.js'

afterEach(expectResponsesMatchOfficialSpec)

const ANSWER_SDP = {
  sdp: 'v=0\r\no=- 4576312012535546667 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 47510 RTP/SAVPF 102 113\r\n',
}

/** Alice's outgoing call, answered by the far end. */
async function connectedCall() {
  const context = await setup()
  const id = await context.placeCall()
  context.advance(ANSWER_AFTER_MS)
  return { ...context, id }
}

describe('updateSessionStatus', () => {
  test('puts an answered call on Hold and resumes it: 200 with the updated session', async () => {
    const { id, updateStatus, getSession } = await connectedCall()
    const held = await updateStatus(id, { status: 'Hold' })
    expect(held.status).toBe(200)
    expect(held.headers['content-type']).toBe('application/json')
    expect(held.headers['x-correlator']).toBe('test-correlator-1')
    expect(held.body).toMatchObject({ mediaSessionId: id, status: 'Hold' })
    const resumed = await updateStatus(id, { status: 'Resume' })
    expect(resumed.body.status).toBe('Resume')
    expect((await getSession(id)).body.status).toBe('Resume')
  })

  test('re-negotiates media on a live call with a new offer', async () => {
    const { id, updateStatus } = await connectedCall()
    const offer = { sdp: 'v=0\r\no=- 2 3 IN IP4 127.0.0.1\r\n' }
    const response = await updateStatus(id, { status: 'Connected', offer })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ status: 'Connected', offer })
  })

  test('lets the receiver answer an incoming call: InProgress with SDP, Ringing, Connected', async () => {
    const { offerIncomingCall, updateStatus, getSession } = await setup()
    const id = offerIncomingCall()
    const inProgress = await updateStatus(id, { status: 'InProgress', answer: ANSWER_SDP })
    expect(inProgress.status).toBe(200)
    expect(inProgress.body).toMatchObject({ status: 'InProgress', answer: ANSWER_SDP })
    expect((await updateStatus(id, { status: 'Ringing' })).body.status).toBe('Ringing')
    const location = { shape: 'Circle', coordinates: { latitude: 1, longitude: 2, radius: 3 } }
    const connected = await updateStatus(id, { status: 'Connected', locationDetails: location })
    expect(connected.body).toMatchObject({
      status: 'Connected',
      answer: ANSWER_SDP,
      locationDetails: location,
    })
    expect((await getSession(id)).body.status).toBe('Connected')
  })

  test('refuses Hold on a finished call: 400 with the reason, and the call stays as it was', async () => {
    const { id, updateStatus, deleteSession, getSession } = await connectedCall()
    await deleteSession(id)
    const response = await updateStatus(id, { status: 'Hold' })
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /^status: cannot put a Terminated session on Hold; the call has already ended$/,
    )
    expect(response.headers['x-correlator']).toBe('test-correlator-1')
    expect((await getSession(id)).body.status).toBe('Terminated')
  })

  test('refuses Hold before the answer', async () => {
    const { placeCall, updateStatus, getSession } = await setup()
    const id = await placeCall()
    expectErrorInfo(
      await updateStatus(id, { status: 'Hold' }),
      400,
      'INVALID_ARGUMENT',
      /^status: cannot put an Initial session on Hold; the call has not been answered yet$/,
    )
    expect((await getSession(id)).body.status).toBe('Initial')
  })

  test('refuses Resume on a call that is not on Hold, and a second Hold', async () => {
    const { id, updateStatus } = await connectedCall()
    expectErrorInfo(
      await updateStatus(id, { status: 'Resume' }),
      400,
      'INVALID_ARGUMENT',
      /only a session on Hold can be resumed/,
    )
    await updateStatus(id, { status: 'Hold' })
    expectErrorInfo(
      await updateStatus(id, { status: 'Hold' }),
      400,
      'INVALID_ARGUMENT',
      /^status: the session is already on Hold$/,
    )
    expectErrorInfo(
      await updateStatus(id, { status: 'Connected' }),
      400,
      'INVALID_ARGUMENT',
      /Resume it first/,
    )
  })

  test('refuses Terminated through PUT and points to DELETE', async () => {
    const { id, updateStatus, getSession } = await connectedCall()
    expectErrorInfo(
      await updateStatus(id, { status: 'Terminated' }),
      400,
      'INVALID_ARGUMENT',
      /^status: Terminated cannot be requested with a status update; end the session with DELETE$/,
    )
    expect((await getSession(id)).body.status).toBe('Connected')
  })

  test('refuses statuses only the network reports', async () => {
    const { id, updateStatus } = await connectedCall()
    expectErrorInfo(
      await updateStatus(id, { status: 'Failed' }),
      400,
      'INVALID_ARGUMENT',
      /^status: Failed is reported by the network and cannot be requested by a client$/,
    )
  })

  test('keeps the caller from reporting the far end while the call is set up', async () => {
    const { placeCall, updateStatus } = await setup()
    const id = await placeCall()
    expectErrorInfo(
      await updateStatus(id, { status: 'Connected' }),
      400,
      'INVALID_ARGUMENT',
      /^status: Connected is reported by the receiving side; the originator cannot set it while the call is being set up$/,
    )
  })

  test('answers 400 INVALID_ARGUMENT naming the enum for an unknown status', async () => {
    const { id, updateStatus } = await connectedCall()
    expectErrorInfo(
      await updateStatus(id, { status: 'OnHold' }),
      400,
      'INVALID_ARGUMENT',
      /status must be one of: "Initial", "InProgress",.*"Busy"/,
    )
  })

  test('answers 400 when the body is missing', async () => {
    const { id, updateStatus, getSession } = await connectedCall()
    expectErrorInfo(
      await updateStatus(id, null),
      400,
      'INVALID_ARGUMENT',
      /request body is missing; send a JSON object such as \{"status": "Hold"\}/,
    )
    expect((await getSession(id)).body.status).toBe('Connected')
  })

  test('answers 400 OUT_OF_RANGE for a confidence above 100 percent', async () => {
    const { id, updateStatus } = await connectedCall()
    const response = await updateStatus(id, {
      status: 'Connected',
      locationDetails: { confidence: { value: 101 } },
    })
    expectErrorInfo(
      response,
      400,
      'OUT_OF_RANGE',
      /locationDetails\.confidence\.value must be <= 100/,
    )
  })

  test('answers 404 NOT_FOUND for an unknown session and for one of another subscriber', async () => {
    const { id, updateStatus, tokens } = await connectedCall()
    expectErrorInfo(
      await updateStatus('FFFF', { status: 'Hold' }),
      404,
      'NOT_FOUND',
      /no media session FFFF/,
    )
    expectErrorInfo(await updateStatus(id, { status: 'Hold' }, tokens.bob), 404, 'NOT_FOUND')
  })

  test('answers 403 PERMISSION_DENIED naming the write scope when the token lacks it', async () => {
    const { simulator, id, updateStatus } = await connectedCall()
    const readOnly = await simulator.control.issueToken({
      sub: ALICE,
      scope: 'webrtc-call-handling:sessions:read',
    })
    expectErrorInfo(
      await updateStatus(id, { status: 'Hold' }, readOnly.token),
      403,
      'PERMISSION_DENIED',
      /webrtc-call-handling:sessions:write/,
    )
  })
})
