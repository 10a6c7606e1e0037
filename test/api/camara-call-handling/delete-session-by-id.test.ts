import { afterEach, describe, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, ANSWER_AFTER_MS, expectResponsesMatchOfficialSpec, setup } from './setup.js'

afterEach(expectResponsesMatchOfficialSpec)

describe('deleteSessionById', () => {
  test('answers 204 with no body and the correlator echoed', async () => {
    const { placeCall, deleteSession } = await setup()
    const id = await placeCall()
    const response = await deleteSession(id)
    expect(response.status).toBe(204)
    expect(response.text).toBe('')
    expect(response.headers['content-type']).toBeUndefined()
    expect(response.headers['content-length']).toBeUndefined()
    expect(response.headers['x-correlator']).toBe('test-correlator-1')
  })

  test('cancels an outgoing call that has not been answered (SessionCancelled)', async () => {
    const { placeCall, deleteSession, getSession, advance, http } = await setup()
    const id = await placeCall()
    advance(1000)
    expect((await getSession(id)).body.status).toBe('Ringing')
    await deleteSession(id)
    expect((await getSession(id)).body.status).toBe('SessionCancelled')
    // The far end never answers a cancelled call.
    advance(ANSWER_AFTER_MS)
    const read = await getSession(id)
    expect(read.body.status).toBe('SessionCancelled')
    expect(read.body.answer).toBeUndefined()
    const call = await http.get(`/_callsim/calls/${id}`)
    expect(call.body).toMatchObject({ endedBy: 'A', endedReason: 'CANCEL' })
  })

  test('declines an incoming call that has not been answered (Declined)', async () => {
    const { offerIncomingCall, updateStatus, deleteSession, getSession, http } = await setup()
    const id = offerIncomingCall()
    await updateStatus(id, { status: 'Ringing' })
    expect((await deleteSession(id)).status).toBe(204)
    expect((await getSession(id)).body.status).toBe('Declined')
    expect((await http.get(`/_callsim/calls/${id}`)).body).toMatchObject({
      endedBy: 'B',
      endedReason: '603',
    })
  })

  test('terminates an answered call (Terminated)', async () => {
    const { placeCall, deleteSession, getSession, advance, http } = await setup()
    const id = await placeCall()
    advance(ANSWER_AFTER_MS)
    await deleteSession(id)
    expect((await getSession(id)).body.status).toBe('Terminated')
    expect((await http.get(`/_callsim/calls/${id}`)).body).toMatchObject({
      endedBy: 'A',
      endedReason: 'BYE',
    })
  })

  test('answers 400 to a second DELETE, saying the call has already ended', async () => {
    const { placeCall, deleteSession, getSession } = await setup()
    const id = await placeCall()
    await deleteSession(id)
    expectErrorInfo(
      await deleteSession(id),
      400,
      'INVALID_ARGUMENT',
      /^status: cannot terminate a SessionCancelled session; the call has already ended$/,
    )
    expect((await getSession(id)).body.status).toBe('SessionCancelled')
  })

  test('answers 404 NOT_FOUND once the call has passed its retention period', async () => {
    const { placeCall, deleteSession, advance } = await setup({ retentionMs: 10_000 })
    const id = await placeCall()
    await deleteSession(id)
    advance(10_000)
    expectErrorInfo(await deleteSession(id), 404, 'NOT_FOUND')
  })

  test('answers 404 to a caller who is not a party of the session and leaves the call alone', async () => {
    const { placeCall, deleteSession, getSession, tokens } = await setup()
    const id = await placeCall()
    expectErrorInfo(await deleteSession(id, tokens.bob), 404, 'NOT_FOUND')
    expect((await getSession(id)).body.status).toBe('Initial')
  })

  test('answers 403 PERMISSION_DENIED naming the delete scope when the token lacks it', async () => {
    const { simulator, placeCall, deleteSession } = await setup()
    const id = await placeCall()
    const readOnly = await simulator.control.issueToken({
      sub: ALICE,
      scope: 'webrtc-call-handling:sessions:read',
    })
    expectErrorInfo(
      await deleteSession(id, readOnly.token),
      403,
      'PERMISSION_DENIED',
      /webrtc-call-handling:sessions:delete/,
    )
  })
})
