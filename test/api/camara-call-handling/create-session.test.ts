import { afterEach, describe, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import {
  ALICE,
  BASE,
  BOB,
  MEDIA_SESSION_ID,
  NEW_SESSION,
  OFFER,
  expectResponsesMatchOfficialSpec,
  setup,
} from './setup.js'

afterEach(expectResponsesMatchOfficialSpec)

describe('createSession', () => {
  test('answers 201 with the new session in Initial and echoes x-correlator', async () => {
    const { createSession } = await setup()
    const response = await createSession()
    expect(response.status).toBe(201)
    expect(response.headers['content-type']).toBe('application/json')
    expect(response.headers['x-correlator']).toBe('test-correlator-1')
    expect(response.body).toEqual({
      mediaSessionId: expect.stringMatching(MEDIA_SESSION_ID),
      originatorAddress: ALICE,
      receiverAddress: BOB,
      receiverName: expect.stringMatching(/^\S+$/),
      status: 'Initial',
      offer: OFFER,
    })
  })

  test('keeps the names, call type and location the caller sent', async () => {
    const { createSession } = await setup()
    const locationDetails = {
      shape: 'Circle',
      coordinates: { latitude: 48.85, longitude: 2.35, radius: 20 },
      method: 'GPS',
      confidence: { pdf: 'normal', value: 68 },
      timestamp: '2025-01-01T00:00:00Z',
    }
    const body = {
      ...NEW_SESSION,
      originatorName: 'Alice',
      receiverName: 'Bob',
      callType: 'REGULAR',
      locationDetails,
    }
    const response = await createSession(body)
    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({
      originatorName: 'Alice',
      receiverName: 'Bob',
      callType: 'REGULAR',
      locationDetails,
    })
  })

  test('makes the session readable at once, and lists it on the control API', async () => {
    const { createSession, getSession, http } = await setup()
    const created = await createSession()
    const read = await getSession(created.body.mediaSessionId)
    expect(read.body).toEqual(created.body)
    const calls = await http.get('/_callsim/calls')
    expect(calls.body).toMatchObject({
      total: 1,
      calls: [{ id: created.body.mediaSessionId, side: 'originating', status: 'Initial' }],
    })
  })

  test('accepts the anonymous originator of RFC 3323', async () => {
    const { createSession } = await setup()
    const response = await createSession({
      ...NEW_SESSION,
      originatorAddress: 'sip:anonymous@anonymous.invalid',
    })
    expect(response.status).toBe(201)
    expect(response.body.originatorAddress).toBe('sip:anonymous@anonymous.invalid')
  })

  test('returns the same session for a retried POST with the same clientCorrelator', async () => {
    const { createSession, http } = await setup()
    const first = await createSession({ ...NEW_SESSION, clientCorrelator: 'order-7' })
    const retry = await createSession({ ...NEW_SESSION, clientCorrelator: 'order-7' })
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.text).toBe(first.text)
    const other = await createSession({ ...NEW_SESSION, clientCorrelator: 'order-8' })
    expect(other.body.mediaSessionId).not.toBe(first.body.mediaSessionId)
    expect((await http.get('/_callsim/calls')).body.total).toBe(2)
  })

  test('answers 400 INVALID_ARGUMENT naming a missing field', async () => {
    const { createSession, http } = await setup()
    const response = await createSession({ receiverAddress: BOB, offer: OFFER })
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /^Client specified an invalid argument: originatorAddress is required$/,
    )
    expect(response.headers['x-correlator']).toBe('test-correlator-1')
    // Bad input leaves the network as it was.
    expect((await http.get('/_callsim/calls')).body.total).toBe(0)
  })

  test('answers 400 INVALID_ARGUMENT for an address that breaks the Address pattern', async () => {
    const { createSession } = await setup()
    const response = await createSession({ ...NEW_SESSION, receiverAddress: '+15550002' })
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /receiverAddress does not match the format the spec requires \(pattern\)/,
    )
  })

  test('answers 400 INVALID_ARGUMENT for a callType outside the enum', async () => {
    const { createSession } = await setup()
    const response = await createSession({ ...NEW_SESSION, callType: 'VIDEO' })
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /callType must be one of: "REGULAR", "EMERGENCY"/,
    )
  })

  test('answers 400 OUT_OF_RANGE for a name or SDP over its maxLength', async () => {
    const { createSession } = await setup()
    const name = await createSession({ ...NEW_SESSION, originatorName: 'A'.repeat(257) })
    expectErrorInfo(
      name,
      400,
      'OUT_OF_RANGE',
      /originatorName must be at most 256 characters long \(maxLength\)/,
    )
    const sdp = await createSession({ ...NEW_SESSION, offer: { sdp: 'a'.repeat(65_537) } })
    expectErrorInfo(sdp, 400, 'OUT_OF_RANGE', /offer\.sdp must be at most 65536 characters long/)
  })

  test('answers 400 INVALID_ARGUMENT when range and other violations mix', async () => {
    const { createSession } = await setup()
    const response = await createSession({
      ...NEW_SESSION,
      originatorName: 'A'.repeat(257),
      callType: 'VIDEO',
    })
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /originatorName must be at most 256.*; callType must be one of/,
    )
  })

  test('answers 400 naming the missing registrationId header', async () => {
    const { http, headers, tokens } = await setup()
    const response = await http
      .post(`${BASE}/sessions`)
      .set(headers(tokens.alice))
      .send(NEW_SESSION)
    expectErrorInfo(response, 400, 'INVALID_ARGUMENT', /header registrationId is required/)
  })

  test('answers 400 INVALID_ARGUMENT for a registrationId the network does not know', async () => {
    // createSession declares no 404, so an unknown registration is a bad argument.
    const { http, headers, tokens } = await setup()
    const response = await http
      .post(`${BASE}/sessions`)
      .set(headers(tokens.alice))
      .set('registrationId', 'no-such-registration')
      .send(NEW_SESSION)
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /^header registrationId: no active registration no-such-registration is known/,
    )
  })

  test('answers 400 when the body is missing altogether', async () => {
    const { createSession, http } = await setup()
    const response = await createSession(null)
    expectErrorInfo(response, 400, 'INVALID_ARGUMENT', /request body is missing/)
    expect((await http.get('/_callsim/calls')).body.total).toBe(0)
  })

  test('answers 400 when the body is JSON but not an object', async () => {
    const { http, headers, tokens, registrationId } = await setup()
    const response = await http
      .post(`${BASE}/sessions`)
      .set(headers(tokens.alice))
      .set('registrationId', registrationId)
      .set('content-type', 'application/json')
      .send('null')
    expectErrorInfo(response, 400, 'INVALID_ARGUMENT', /request body must be of type object/)
  })

  test('answers 400 when the receiver is the anonymous address', async () => {
    const { createSession } = await setup()
    const response = await createSession({
      ...NEW_SESSION,
      receiverAddress: 'sip:anonymous@anonymous.invalid',
    })
    expectErrorInfo(
      response,
      400,
      'INVALID_ARGUMENT',
      /^receiverAddress: sip:anonymous@anonymous\.invalid may only be used as originatorAddress$/,
    )
  })

  test('answers 403 INVALID_TOKEN_CONTEXT when the originator is not the token subject', async () => {
    const { createSession } = await setup()
    const response = await createSession({ ...NEW_SESSION, originatorAddress: 'tel:+15559999' })
    expectErrorInfo(
      response,
      403,
      'INVALID_TOKEN_CONTEXT',
      /^originator info is not consistent with access token\.$/,
    )
  })

  test('answers 401 UNAUTHENTICATED without a token, with the correlator echoed', async () => {
    const { http, registrationId } = await setup()
    const response = await http
      .post(`${BASE}/sessions`)
      .set('x-correlator', 'no-token')
      .set('registrationId', registrationId)
      .send(NEW_SESSION)
    expectErrorInfo(response, 401, 'UNAUTHENTICATED', /Authorization header is missing/)
    expect(response.headers['x-correlator']).toBe('no-token')
  })

  test('answers 403 PERMISSION_DENIED naming the create scope when the token lacks it', async () => {
    const { simulator, createSession } = await setup()
    const readOnly = await simulator.control.issueToken({
      sub: ALICE,
      scope: 'webrtc-call-handling:sessions:read',
    })
    const response = await createSession(NEW_SESSION, readOnly.token)
    expectErrorInfo(response, 403, 'PERMISSION_DENIED', /webrtc-call-handling:sessions:create/)
  })
})
