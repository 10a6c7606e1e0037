import { afterEach, describe, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import {
  ALICE,
  ANSWER_AFTER_MS,
  BASE,
  BOB,
  MEDIA_SESSION_ID,
  OFFER,
  expectResponsesMatchOfficialSpec,
  setup,
} from './setup.js'

afterEach(expectResponsesMatchOfficialSpec)

describe('getSessionDetailsById', () => {
  test('answers 200 with the session as the network sees it, x-correlator echoed', async () => {
    const { placeCall, getSession } = await setup()
    const id = await placeCall()
    const response = await getSession(id)
    expect(response.status).toBe(200)
    expect(response.headers['content-type']).toBe('application/json')
    expect(response.headers['x-correlator']).toBe('test-correlator-1')
    expect(response.body).toEqual({
      mediaSessionId: id,
      originatorAddress: ALICE,
      receiverAddress: BOB,
      receiverName: expect.any(String),
      status: 'Initial',
      offer: OFFER,
    })
  })

  test('shows the far end’s answer SDP once the call is Connected', async () => {
    const { placeCall, getSession, advance } = await setup()
    const id = await placeCall()
    advance(ANSWER_AFTER_MS)
    const response = await getSession(id)
    expect(response.body.status).toBe('Connected')
    expect(response.body.answer.sdp).toMatch(/^v=0\r\n[\s\S]*a=rtpmap:102 AMR-WB\/16000\r\n/)
  })

  test('shows an incoming call to its receiver in Initial with the caller’s offer', async () => {
    const { offerIncomingCall, getSession } = await setup()
    const id = offerIncomingCall()
    const response = await getSession(id)
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      mediaSessionId: id,
      originatorAddress: BOB,
      receiverAddress: ALICE,
      status: 'Initial',
      offer: OFFER,
    })
    expect(response.body.originatorName).toMatch(/^\S+$/)
  })

  test('answers 404 NOT_FOUND for an id the network never issued', async () => {
    const { getSession } = await setup()
    const response = await getSession('0123456789ABCDEF')
    expectErrorInfo(
      response,
      404,
      'NOT_FOUND',
      /^The specified resource is not found: no media session 0123456789ABCDEF for this caller/,
    )
    expect(response.headers['x-correlator']).toBe('test-correlator-1')
  })

  test('answers 404 to a caller who is not a party of the session, as if it did not exist', async () => {
    const { placeCall, getSession, tokens } = await setup()
    const id = await placeCall()
    expectErrorInfo(await getSession(id, tokens.bob), 404, 'NOT_FOUND')
  })

  test('answers 404 once a finished call has passed its retention period', async () => {
    const { placeCall, getSession, deleteSession, advance } = await setup({ retentionMs: 60_000 })
    const id = await placeCall()
    expect((await deleteSession(id)).status).toBe(204)
    advance(59_999)
    expect((await getSession(id)).body.status).toBe('SessionCancelled')
    advance(1)
    expectErrorInfo(
      await getSession(id),
      404,
      'NOT_FOUND',
      /it may have ended and passed its retention period/,
    )
  })

  test('answers 400 OUT_OF_RANGE for an id longer than the spec’s 256 characters', async () => {
    const { getSession } = await setup()
    const response = await getSession('A'.repeat(257))
    expectErrorInfo(
      response,
      400,
      'OUT_OF_RANGE',
      /path parameter mediaSessionId must be at most 256 characters long \(maxLength\)/,
    )
  })

  test('decodes a percent-encoded id before looking it up', async () => {
    const { placeCall, http, headers, tokens } = await setup()
    const id = await placeCall()
    // %41 is "A": the same id written another way reaches the same session.
    const encoded = id.replace(/A/g, '%41')
    const response = await http.get(`${BASE}/sessions/${encoded}`).set(headers(tokens.alice))
    expect(response.status).toBe(200)
    expect(response.body.mediaSessionId).toMatch(MEDIA_SESSION_ID)
    expect(response.body.mediaSessionId).toBe(id)
  })

  test('answers 401 UNAUTHENTICATED for an expired token', async () => {
    const { simulator, placeCall, getSession, advance } = await setup()
    const id = await placeCall()
    const shortLived = await simulator.control.issueToken({ sub: ALICE, expiresInMs: 1000 })
    advance(1000)
    expectErrorInfo(
      await getSession(id, shortLived.token),
      401,
      'UNAUTHENTICATED',
      /the token has expired/,
    )
  })

  test('answers 403 PERMISSION_DENIED naming the read scope when the token lacks it', async () => {
    const { simulator, placeCall, getSession } = await setup()
    const id = await placeCall()
    const createOnly = await simulator.control.issueToken({
      sub: ALICE,
      scope: 'webrtc-call-handling:sessions:create',
    })
    expectErrorInfo(
      await getSession(id, createOnly.token),
      403,
      'PERMISSION_DENIED',
      /webrtc-call-handling:sessions:read/,
    )
  })
})
