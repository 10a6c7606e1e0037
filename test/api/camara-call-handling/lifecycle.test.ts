import request from 'supertest'
import { afterEach, expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, startSimulator } from '../../support/start-simulator.js'
import { BASE, NEW_SESSION, expectResponsesMatchOfficialSpec, setup } from './setup.js'

afterEach(expectResponsesMatchOfficialSpec)

test('moves a new call through InProgress, Ringing and Connected as POST /_callsim/clock advances', async () => {
  const { placeCall, getSession, http } = await setup()
  const id = await placeCall()
  const statusAfter = async (advance: string) => {
    const clock = await http.post('/_callsim/clock').send({ advance })
    expect(clock.status).toBe(200)
    return (await getSession(id)).body.status as string
  }
  expect((await getSession(id)).body.status).toBe('Initial')
  expect(await statusAfter('199ms')).toBe('Initial')
  expect(await statusAfter('1ms')).toBe('InProgress')
  expect(await statusAfter('800ms')).toBe('Ringing')
  expect(await statusAfter('2.999s')).toBe('Ringing')
  expect(await statusAfter('1ms')).toBe('Connected')
})

test('reports the virtual time and how many steps fired when the clock advances', async () => {
  const { placeCall, http } = await setup()
  await placeCall()
  const response = await http.post('/_callsim/clock').send({ advance: '5s' })
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toBe('application/json')
  // Three lifecycle steps fire; the device registration's expiry stays pending.
  expect(response.body).toMatchObject({
    kind: 'virtual',
    now: '2025-01-01T00:00:05.000Z',
    fired: 3,
  })
  expect((await http.get('/_callsim/clock')).body).toMatchObject({
    kind: 'virtual',
    now: '2025-01-01T00:00:05.000Z',
  })
})

test('keeps a finished call readable for the default five minutes, then answers 404', async () => {
  const { placeCall, getSession, deleteSession, updateStatus, http } = await setup()
  const id = await placeCall()
  await http.post('/_callsim/clock').send({ advance: '5s' })
  expect((await updateStatus(id, { status: 'Hold' })).body.status).toBe('Hold')
  expect((await updateStatus(id, { status: 'Resume' })).body.status).toBe('Resume')
  expect((await deleteSession(id)).status).toBe(204)
  await http.post('/_callsim/clock').send({ advance: '299999ms' })
  expect((await getSession(id)).body.status).toBe('Terminated')
  await http.post('/_callsim/clock').send({ advance: 1 })
  expectErrorInfo(await getSession(id), 404, 'NOT_FOUND')
  expect((await http.get('/_callsim/calls')).body.total).toBe(0)
})

test('creates a new session for a clientCorrelator whose first call has passed retention', async () => {
  const { createSession, deleteSession, advance } = await setup({ retentionMs: 1000 })
  const body = { ...NEW_SESSION, clientCorrelator: 'reused' }
  const first = await createSession(body)
  await deleteSession(first.body.mediaSessionId)
  advance(1000)
  const second = await createSession(body)
  expect(second.status).toBe(201)
  expect(second.body.mediaSessionId).not.toBe(first.body.mediaSessionId)
  expect(second.body.status).toBe('Initial')
})

test('journals every request with its operation, status and correlator, and records no violation', async () => {
  const { placeCall, getSession, http } = await setup()
  const id = await placeCall()
  await getSession(id)
  await getSession('UNKNOWN')
  const journal = await http.get('/_callsim/journal').query({ limit: 3 })
  expect(journal.status).toBe(200)
  expect(
    journal.body.entries.map(
      (entry: { operationId: string; status: number; correlator?: string }) => [
        entry.operationId,
        entry.status,
        entry.correlator,
      ],
    ),
  ).toEqual([
    ['createSession', 201, 'test-correlator-1'],
    ['getSessionDetailsById', 200, 'test-correlator-1'],
    ['getSessionDetailsById', 404, 'test-correlator-1'],
  ])
  expect(journal.body.entries[0]).toMatchObject({
    method: 'POST',
    path: `${BASE}/sessions`,
    face: 'camara-call-handling',
    at: '2025-01-01T00:00:00.000Z',
  })
  expect((await http.get('/_callsim/violations')).body).toEqual({ total: 0, violations: [] })
})

test('forgets every call on POST /_callsim/reset and keeps the clock where it was', async () => {
  const { placeCall, getSession, http, advance } = await setup()
  const id = await placeCall()
  advance(1000)
  const reset = await http.post('/_callsim/reset').set('content-type', 'application/json')
  expect(reset.status).toBe(204)
  expectErrorInfo(await getSession(id), 404, 'NOT_FOUND')
  expect((await http.get('/_callsim/clock')).body.now).toBe('2025-01-01T00:00:01.000Z')
})

/** The same client session, request for request, against a fresh simulator with `seed`. */
async function recordSession(seed: number): Promise<string[]> {
  const simulator = startSimulator({ seed })
  const http = request(simulator.app)
  const auth = {
    authorization: `Bearer ${(await simulator.control.issueToken({ sub: ALICE })).token}`,
    'x-correlator': 'seeded',
  }
  const registrationId = await registerDevice(simulator, ALICE)
  const texts: string[] = []
  const keep = (response: request.Response) => {
    texts.push(`${response.status} ${response.text}`)
    return response
  }
  const created = keep(
    await http
      .post(`${BASE}/sessions`)
      .set(auth)
      .set('registrationId', registrationId)
      .send(NEW_SESSION),
  )
  const id = created.body.mediaSessionId as string
  keep(
    await http
      .post(`${BASE}/sessions`)
      .set(auth)
      .set('registrationId', registrationId)
      .send({ ...NEW_SESSION, receiverAddress: 'tel:+15550003' }),
  )
  keep(await http.post('/_callsim/clock').send({ advance: '5s' }))
  keep(await http.get(`${BASE}/sessions/${id}`).set(auth))
  keep(await http.put(`${BASE}/sessions/${id}/status`).set(auth).send({ status: 'Hold' }))
  keep(await http.delete(`${BASE}/sessions/${id}`).set(auth))
  keep(await http.get(`/_callsim/calls/${id}`))
  keep(await http.get('/_callsim/calls'))
  simulator.dispose()
  return texts
}

test('answers byte-identical bodies to the same requests under the same --seed', async () => {
  const first = await recordSession(42)
  const second = await recordSession(42)
  expect(second).toEqual(first)
  // The session carries generated data (id, callee name, answer SDP), so the check is not vacuous.
  expect(first[3]).toMatch(/"answer":\{"sdp":"v=0\\r\\no=- \d+/)
  const other = await recordSession(43)
  expect(other[0]).not.toBe(first[0])
})

test('answers 409 CLOCK_NOT_VIRTUAL to a clock advance on the system clock', async () => {
  const simulator = startSimulator({ clock: 'system' })
  try {
    const response = await request(simulator.app).post('/_callsim/clock').send({ advance: '5s' })
    expectErrorInfo(response, 409, 'CLOCK_NOT_VIRTUAL', /start callsim with --clock virtual/)
  } finally {
    simulator.dispose()
  }
})

test('answers 400 to a clock advance that is not a duration', async () => {
  const { http } = await setup()
  expectErrorInfo(
    await http.post('/_callsim/clock').send({ advance: 'soon' }),
    400,
    'INVALID_ARGUMENT',
    /advance/,
  )
  expectErrorInfo(
    await http.post('/_callsim/clock').send({ advance: -1 }),
    400,
    'INVALID_ARGUMENT',
    /advance/,
  )
  expect((await http.get('/_callsim/clock')).body.now).toBe('2025-01-01T00:00:00.000Z')
})
