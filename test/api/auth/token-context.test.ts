import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { ALICE, BOB } from '../../support/start-simulator.js'
import { CALLS, OFFER, setup } from './setup.js'

const ANONYMOUS = 'sip:anonymous@anonymous.invalid'

test('answers 403 INVALID_TOKEN_CONTEXT when the originator is not the token subject, and places no call', async () => {
  const { simulator, createSession } = await setup()
  const response = await createSession({
    originatorAddress: 'tel:+15550009',
    receiverAddress: BOB,
    offer: OFFER,
  })
  expectErrorInfo(response, 403, 'INVALID_TOKEN_CONTEXT')
  expect(response.body.message).toBe('originator info is not consistent with access token.')
  expect(response.headers['x-correlator']).toBe('auth-test-1')
  expect(simulator.network.size).toBe(0)
})

test('accepts the anonymous originator for the token subscriber and lets only that subscriber see the call', async () => {
  const { http, tokens, createSession } = await setup()
  const created = await createSession({
    originatorAddress: ANONYMOUS,
    receiverAddress: BOB,
    offer: OFFER,
  })
  expect(created.status).toBe(201)
  expect(created.headers['content-type']).toMatch(/^application\/json/)
  expect(created.body).toMatchObject({
    originatorAddress: ANONYMOUS,
    receiverAddress: BOB,
    status: 'Initial',
  })
  const url = `${CALLS}/sessions/${created.body.mediaSessionId}`
  const own = await http.get(url).set('authorization', `Bearer ${tokens.alice}`)
  expect(own.status).toBe(200)
  expect(own.body.originatorAddress).toBe(ANONYMOUS)
  expectErrorInfo(
    await http.get(url).set('authorization', `Bearer ${tokens.bob}`),
    404,
    'NOT_FOUND',
  )
})

test('refuses the anonymous address as receiver with 400 INVALID_ARGUMENT', async () => {
  const { simulator, createSession } = await setup()
  const response = await createSession({
    originatorAddress: ALICE,
    receiverAddress: ANONYMOUS,
    offer: OFFER,
  })
  expectErrorInfo(response, 400, 'INVALID_ARGUMENT')
  expect(response.body.message).toBe(
    `receiverAddress: ${ANONYMOUS} may only be used as originatorAddress`,
  )
  expect(simulator.network.size).toBe(0)
})

test('answers 404 to a subscriber who is not a party of the session on get, update and delete, and changes nothing', async () => {
  const { http, tokens, createSession } = await setup()
  const created = await createSession()
  const url = `${CALLS}/sessions/${created.body.mediaSessionId}`
  const asBob = { authorization: `Bearer ${tokens.bob}`, 'x-correlator': 'not-mine' }
  const unknownUrl = `${CALLS}/sessions/00000000000000000000000000000000000000000000FFFF`
  const responses = {
    get: await http.get(url).set(asBob),
    update: await http.put(`${url}/status`).set(asBob).send({ status: 'Hold' }),
    delete: await http.delete(url).set(asBob),
  }
  const unknown = await http.get(unknownUrl).set(asBob)
  for (const [action, response] of Object.entries(responses)) {
    expectErrorInfo(response, 404, 'NOT_FOUND')
    // Exactly what an id that never existed gets: nothing tells Bob the call is real.
    expect(response.body.message, action).toBe(
      unknown.body.message.replace(
        '00000000000000000000000000000000000000000000FFFF',
        created.body.mediaSessionId,
      ),
    )
    expect(response.headers['x-correlator']).toBe('not-mine')
  }
  const own = await http.get(url).set('authorization', `Bearer ${tokens.alice}`)
  expect(own.status).toBe(200)
  expect(own.body.status).toBe('Initial')
})
