import { expect, test } from 'vitest'
import { expectErrorInfo } from '../support/expect-error-info.js'
import { ALICE, BOB, NEW_SESSION, setup } from './setup.js'

const BOB_CALLS_ALICE = { originatorAddress: BOB, receiverAddress: ALICE, offer: NEW_SESSION.offer }

test('lists every loaded scenario with its description and source file', async () => {
  const { http } = await setup()
  const response = await http.get('/_callsim/scenarios')
  expect(response.status).toBe(200)
  expect(response.headers['content-type']).toBe('application/json')
  const ids = (response.body.scenarios as { id: string }[]).map((s) => s.id)
  expect(response.body.total).toBe(ids.length)
  expect(ids).toEqual([...ids].sort())
  expect(ids).toEqual(expect.arrayContaining(['default', 'busy-callee', 'not-found', 'flaky-network']))
  expect(response.body.scenarios.find((s: { id: string }) => s.id === 'busy-callee')).toEqual({
    id: 'busy-callee',
    description: expect.stringContaining('tel:+15550100486'),
    source: expect.stringMatching(/scenarios[\\/]lifecycle[\\/]busy-callee\.yaml$/),
    line: 1,
    selectedByMatch: true,
    lifecycleSteps: 2,
    faultRules: 0,
  })
})

test('shows one scenario with its definition as written', async () => {
  const { http } = await setup()
  const response = await http.get('/_callsim/scenarios/not-found')
  expect(response.status).toBe(200)
  expect(response.body).toMatchObject({
    id: 'not-found',
    faultRules: 1,
    definition: { faults: [{ operations: ['getSessionDetailsById', 'updateSessionStatus', 'deleteSessionById'], action: { type: 'respond', status: 404, code: 'NOT_FOUND' } }] },
  })
})

test('answers 404 NOT_FOUND for a scenario that does not exist', async () => {
  const { http } = await setup()
  expectErrorInfo(await http.get('/_callsim/scenarios/bussy-callee'), 404, 'NOT_FOUND', /No scenario bussy-callee/)
})

test('a globally activated scenario governs calls that nothing else claims, until deactivated', async () => {
  const t = await setup()
  expect((await t.http.get('/_callsim/activations')).body).toEqual({ global: null, subscribers: [] })
  const activated = await t.http.put('/_callsim/activations/global').send({ scenarioId: 'busy-callee' })
  expect(activated.status).toBe(200)
  expect(activated.body).toEqual({ global: 'busy-callee', subscribers: [] })
  const busy = await t.placeCall()
  t.advance(500)
  expect((await t.getSession(busy)).body.status).toBe('Busy')
  // A header still wins over the activation.
  const answered = await t.placeCall('default')
  expect((await t.deleteSession(answered)).status).toBe(204)

  expect((await t.http.delete('/_callsim/activations/global').set('content-type', 'application/json')).status).toBe(204)
  const normal = await t.placeCall()
  t.advance(4000)
  expect((await t.getSession(normal)).body.status).toBe('Connected')
})

test('a scenario activated for one subscriber governs only that subscriber', async () => {
  const t = await setup()
  const path = `/_callsim/activations/subscribers/${encodeURIComponent(ALICE)}`
  const activated = await t.http.put(path).send({ scenarioId: 'not-found' })
  expect(activated.status).toBe(200)
  expect(activated.body).toEqual({ global: null, subscribers: [{ subscriber: ALICE, scenarioId: 'not-found' }] })

  const bobs = await t.createSession(BOB_CALLS_ALICE, {}, t.tokens.bob)
  expect(bobs.status).toBe(201)
  expect((await t.getSession(bobs.body.mediaSessionId, {}, t.tokens.bob)).status).toBe(200)
  const alices = await t.placeCall()
  expectErrorInfo(await t.getSession(alices), 404, 'NOT_FOUND')

  expect((await t.http.delete(path).set('content-type', 'application/json')).status).toBe(204)
  expect((await t.getSession(alices)).status).toBe(200)
  expect((await t.http.get('/_callsim/activations')).body).toEqual({ global: null, subscribers: [] })
})

test('refuses to activate an unknown scenario and keeps the activations as they were', async () => {
  const { http } = await setup()
  await http.put('/_callsim/activations/global').send({ scenarioId: 'slow-network' })
  const refused = await http.put('/_callsim/activations/global').send({ scenarioId: 'no-such-scenario' })
  expectErrorInfo(refused, 400, 'INVALID_ARGUMENT', /^scenarioId: callsim has no scenario "no-such-scenario"/)
  expect((await http.get('/_callsim/activations')).body).toEqual({ global: 'slow-network', subscribers: [] })
})

test('refuses a subscriber that is not a tel: or sip: address', async () => {
  const { http } = await setup()
  const refused = await http.put('/_callsim/activations/subscribers/alice').send({ scenarioId: 'busy-callee' })
  expectErrorInfo(refused, 400, 'INVALID_ARGUMENT', /subscriber/)
})

test('reset clears the activations along with the calls', async () => {
  const { http } = await setup()
  await http.put('/_callsim/activations/global').send({ scenarioId: 'busy-callee' })
  await http.put(`/_callsim/activations/subscribers/${encodeURIComponent(ALICE)}`).send({ scenarioId: 'declined' })
  expect((await http.post('/_callsim/reset').set('content-type', 'application/json')).status).toBe(204)
  expect((await http.get('/_callsim/activations')).body).toEqual({ global: null, subscribers: [] })
})

test('answers an unknown x-callsim-scenario with 400 INVALID_ARGUMENT and creates nothing', async () => {
  const t = await setup()
  const response = await t.createSession(NEW_SESSION, { 'x-callsim-scenario': 'bussy-callee' })
  expectErrorInfo(response, 400, 'INVALID_ARGUMENT', /x-callsim-scenario: callsim has no scenario "bussy-callee"; list them with GET \/_callsim\/scenarios/)
  expect(response.headers['x-correlator']).toBe('scenario-test')
  expect((await t.http.get('/_callsim/calls')).body.total).toBe(0)
})

test('the journal names the scenario that governed each request and the fault it injected', async () => {
  const t = await setup()
  const id = await t.placeCall()
  await t.getSession(id, { 'x-callsim-scenario': 'not-found' })
  const entries = (await t.journal()).entries.filter((e) => e.face === 'camara-call-handling')
  expect(entries.map((e) => [e.operationId, e.status, e.scenarioId, e.fault])).toEqual([
    ['createSession', 201, 'default', undefined],
    ['getSessionDetailsById', 404, 'not-found', 'not-found faults[0]: respond 404 NOT_FOUND'],
  ])
})

test('scenarios never govern the control API itself', async () => {
  const t = await setup()
  await t.http.put('/_callsim/activations/global').send({ scenarioId: 'flaky-network' })
  for (let i = 0; i < 20; i += 1) expect((await t.http.get('/_callsim/clock').set('x-callsim-scenario', 'unauthenticated')).status).toBe(200)
})

test('with an admin token, the control API answers 401 without it and works with it', async () => {
  const t = await setup({ adminToken: 'let-me-in' })
  expectErrorInfo(await t.http.get('/_callsim/scenarios'), 401, 'UNAUTHENTICATED', /--admin-token/)
  expectErrorInfo(await t.http.post('/_callsim/reset').set('authorization', 'Bearer wrong'), 401, 'UNAUTHENTICATED', /not the one this callsim was started with/)
  const allowed = await t.http.get('/_callsim/scenarios').set('authorization', 'Bearer let-me-in')
  expect(allowed.status).toBe(200)
  // The API faces are not affected.
  expect((await t.createSession()).status).toBe(201)
})

test('every control operation declares the 401 of the admin token', async () => {
  const { simulator } = await setup()
  const admin = simulator.faces.find((face) => face.controlPlane)
  const missing = [...(admin?.spec.operations.values() ?? [])].filter((operation) => !operation.responses.has('401')).map((operation) => operation.operationId)
  expect(missing).toEqual([])
})
