import { expect, test } from 'vitest'
import { customerIdOf } from '../../../src/apis/index.js'
import { advance, tokenFor } from '../../support/start-simulator.js'
import { ALICE, BOB, expectSbcError, setup } from './setup.js'

const SUMMARY_KEYS = ['aNumber', 'bNumber', 'callId', 'direction', 'started']

/** Three calls: Alice → Bob (answered, then hung up), Alice → Denmark (ringing), Denmark → Bob (incoming). */
async function threeCalls() {
  const context = await setup()
  const { simulator, call, incoming, hangUp } = context
  const toBob = await call(BOB)
  advance(simulator, 4000)
  await hangUp(toBob.mediaSessionId)
  const toDenmark = await call('tel:+4580808080')
  advance(simulator, 1000)
  const fromDenmark = await incoming('tel:+4581808888', BOB)
  return { ...context, toBob, toDenmark, fromDenmark }
}

test('lists every session as a summary in the order the calls started, with the total', async () => {
  const { listSessions, toBob, toDenmark, fromDenmark } = await threeCalls()
  const response = await listSessions()
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.body).toMatchObject({ offset: 0, limit: 100, total: 3 })
  expect(response.body.sessions).toEqual([
    {
      callId: toBob.sipCallId,
      aNumber: '+15550001',
      bNumber: '+15550002',
      direction: 'O',
      started: '2025-01-01T00:00:00.000Z',
      answered: '2025-01-01T00:00:04.000Z',
      ended: '2025-01-01T00:00:04.000Z',
      endedReason: 'BYE',
      endedBy: 'A',
    },
    {
      callId: toDenmark.sipCallId,
      aNumber: '+15550001',
      bNumber: '+4580808080',
      direction: 'O',
      started: '2025-01-01T00:00:04.000Z',
    },
    {
      callId: fromDenmark.sipCallId,
      aNumber: '+4581808888',
      bNumber: '+15550002',
      direction: 'I',
      started: '2025-01-01T00:00:05.000Z',
    },
  ])
})

test('returns whole session objects, the same as GET by id, when full is true', async () => {
  const { listSessions, getSession, toDenmark } = await threeCalls()
  const response = await listSessions({ full: true })
  expect(response.status).toBe(200)
  expect(response.body.sessions).toHaveLength(3)
  expect(response.body.sessions[1]).toEqual((await getSession(toDenmark.sipCallId)).body)
  expect(Object.keys(response.body.sessions[1]).length).toBeGreaterThan(SUMMARY_KEYS.length)
  // full=false is the summary again.
  expect(Object.keys((await listSessions({ full: false })).body.sessions[1]).sort()).toEqual(
    SUMMARY_KEYS,
  )
})

test('pages with offset and limit while total keeps counting every match', async () => {
  const { listSessions, toDenmark, fromDenmark } = await threeCalls()
  const page = await listSessions({ offset: 1, limit: 1 })
  expect(page.body).toMatchObject({ offset: 1, limit: 1, total: 3 })
  expect(page.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([toDenmark.sipCallId])
  const last = await listSessions({ offset: 2, limit: 1000 })
  expect(last.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([
    fromDenmark.sipCallId,
  ])
  const beyond = await listSessions({ offset: 10 })
  expect(beyond.body).toEqual({ offset: 10, limit: 100, total: 3, sessions: [] })
})

test('answers 400 bad_request for a limit above 1000, a negative offset or an unknown direction', async () => {
  const { listSessions } = await threeCalls()
  expectSbcError(await listSessions({ limit: 1001 }), 400, 'bad_request', /limit must be <= 1000/)
  expectSbcError(await listSessions({ limit: 0 }), 400, 'bad_request', /limit must be >= 1/)
  expectSbcError(await listSessions({ offset: -1 }), 400, 'bad_request', /offset must be >= 0/)
  expectSbcError(
    await listSessions({ limit: 'ten' }),
    400,
    'bad_request',
    /limit must be of type integer/,
  )
  expectSbcError(
    await listSessions({ direction: 'X' }),
    400,
    'bad_request',
    /direction must be one of: "I", "O"/,
  )
  expectSbcError(
    await listSessions({ live: 'yes' }),
    400,
    'bad_request',
    /live must be of type boolean/,
  )
})

test('filters by part of the A- or B-number, with or without the +', async () => {
  const { listSessions, http, tokens, auth, toDenmark, fromDenmark } = await threeCalls()
  const ids = (response: { body: { sessions: { callId: string }[] } }) =>
    response.body.sessions.map((s) => s.callId)
  const danish = await listSessions({ number: '+458' })
  expect(danish.body.total).toBe(2)
  expect(ids(danish)).toEqual([toDenmark.sipCallId, fromDenmark.sipCallId])
  expect(ids(await listSessions({ number: '4581808888' }))).toEqual([fromDenmark.sipCallId])
  // An unencoded + in a query string arrives as a space; it still matches.
  expect(ids(await http.get('/sbc/session?number=+4580808080').set(auth(tokens.admin)))).toEqual([
    toDenmark.sipCallId,
  ])
  expect((await listSessions({ number: '999999' })).body).toMatchObject({ total: 0, sessions: [] })
})

test('filters by customer, finding the calls from and to that customer', async () => {
  const { listSessions, toBob, fromDenmark } = await threeCalls()
  const alice = await listSessions({ customer: customerIdOf(ALICE) })
  expect(alice.body.total).toBe(2)
  const bob = await listSessions({ customer: customerIdOf(BOB) })
  // Bob is the customer only of the call he received: Alice's call to him belongs to Alice.
  expect(bob.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([
    fromDenmark.sipCallId,
  ])
  expect(alice.body.sessions[0].callId).toBe(toBob.sipCallId)
})

test('keeps only ongoing calls when live is true', async () => {
  const { listSessions, toDenmark, fromDenmark } = await threeCalls()
  const live = await listSessions({ live: true })
  expect(live.body.total).toBe(2)
  expect(live.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([
    toDenmark.sipCallId,
    fromDenmark.sipCallId,
  ])
  expect((await listSessions({ live: false })).body.total).toBe(3)
})

test('filters by direction and by international destination', async () => {
  const { listSessions, toDenmark, fromDenmark } = await threeCalls()
  const inbound = await listSessions({ direction: 'I' })
  expect(inbound.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([
    fromDenmark.sipCallId,
  ])
  expect((await listSessions({ direction: 'O' })).body.total).toBe(2)
  // International: the B-number's country code differs from the A-number's (+1 → +45 and +45 → +1).
  const international = await listSessions({ international: true })
  expect(international.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([
    toDenmark.sipCallId,
    fromDenmark.sipCallId,
  ])
  expect((await listSessions({ international: true, direction: 'O', live: true })).body.total).toBe(
    1,
  )
})

test('answers 403 access_denied to a caller without the access level and lists nothing', async () => {
  const { simulator, listSessions } = await threeCalls()
  const user = await tokenFor(simulator, ALICE, 'sbc:sessions:read', { accessLevel: 'USER' })
  expectSbcError(await listSessions({}, user), 403, 'access_denied', /^Insufficient access level/)
})

test('shows an empty page when the network holds no calls', async () => {
  const { listSessions } = await setup()
  const response = await listSessions()
  expect(response.status).toBe(200)
  expect(response.body).toEqual({ offset: 0, limit: 100, total: 0, sessions: [] })
})

test('pages through several filters at once, counting every match in total', async () => {
  const { listSessions, toBob, toDenmark } = await threeCalls()
  const fromAlice = { customer: customerIdOf(ALICE), direction: 'O' }
  expect((await listSessions(fromAlice)).body.total).toBe(2)
  const second = await listSessions({ ...fromAlice, offset: 1, limit: 1 })
  expect(second.body).toMatchObject({ offset: 1, limit: 1, total: 2 })
  expect(second.body.sessions.map((s: { callId: string }) => s.callId)).toEqual([
    toDenmark.sipCallId,
  ])
  const first = await listSessions({ ...fromAlice, number: '1555', limit: 1 })
  expect(first.body.total).toBe(2)
  expect(first.body.sessions[0].callId).toBe(toBob.sipCallId)
})

test('forgets a session in lookups and every filter once it passes retention, and on a reset', async () => {
  const { simulator, listSessions, getSession, toBob, toDenmark } = await threeCalls()
  // Alice's call to Bob ended at 4 s; the default retention is 5 minutes.
  advance(simulator, 5 * 60_000)
  expect((await getSession(toBob.sipCallId)).status).toBe(404)
  const retained: Record<string, string>[] = [
    {},
    { customer: customerIdOf(ALICE) },
    { number: '15550002' },
  ]
  for (const filter of retained) {
    const ids = (await listSessions(filter)).body.sessions.map((s: { callId: string }) => s.callId)
    expect(ids, JSON.stringify(filter)).not.toContain(toBob.sipCallId)
  }
  simulator.control.reset()
  expect((await getSession(toDenmark.sipCallId)).status).toBe(404)
  const afterReset: Record<string, string | boolean>[] = [
    {},
    { live: true },
    { direction: 'O' },
    { international: true },
  ]
  for (const filter of afterReset)
    expect((await listSessions(filter)).body.total, JSON.stringify(filter)).toBe(0)
})

test('builds its index on the first SBC request, follows the network after it, and drops it on a reset', async () => {
  const { simulator, call, listSessions, getSession, toBob, toDenmark, fromDenmark } =
    await threeCalls()
  const ids = async (filters: Record<string, string | boolean> = {}) =>
    (await listSessions(filters)).body.sessions.map((s: { callId: string }) => s.callId)
  // Placed before any SBC request: read from the network, ended and live calls alike.
  expect(await ids()).toEqual([toBob.sipCallId, toDenmark.sipCallId, fromDenmark.sipCallId])
  expect(await ids({ live: true })).toEqual([toDenmark.sipCallId, fromDenmark.sipCallId])
  // Placed after it: followed through the network's events.
  const later = await call('tel:+4580808081')
  expect(await ids({ live: true, number: '4580808081' })).toEqual([later.sipCallId])
  advance(simulator, 5 * 60_000)
  expect((await getSession(toBob.sipCallId)).status).toBe(404)
  expect(await ids()).not.toContain(toBob.sipCallId)
  // A reset clears the network without events: the index is dropped and built again.
  simulator.control.reset()
  expect(await ids()).toEqual([])
  expect((await getSession(later.sipCallId)).status).toBe(404)
})
