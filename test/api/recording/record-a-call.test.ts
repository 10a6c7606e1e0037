/* eslint-disable no-template-curly-in-string -- recorded steps write ${…} expressions in plain strings */
import { afterEach, expect, test } from 'vitest'
import {
  formatScenarioProblem,
  recordScenarios,
  writeScenario,
  type Recording,
} from '../../../src/scenario/index.js'
import { createTestScenarioLoader } from '../../support/scenario-loader.js'
import { createObservingClient, servedOperations } from '../../support/observe-exchanges.js'
import { DEVICE_ID, REGISTRATION_BASE } from '../../support/register-device.js'
import { ALICE, BOB, advance, startSimulator, tokenFor } from '../../support/start-simulator.js'

const SESSIONS = '/webrtc-call-handling/vwip/sessions'
const simulators: ReturnType<typeof startSimulator>[] = []
afterEach(() => simulators.splice(0).forEach((simulator) => simulator.dispose()))

/** A provider (a callsim on a virtual clock) and a client whose exchanges are observed. */
async function setup() {
  const provider = startSimulator()
  simulators.push(provider)
  const client = createObservingClient(provider)
  const token = await tokenFor(provider, ALICE)
  const register = await client.send('POST', `${REGISTRATION_BASE}/sessions`, {
    token,
    body: { deviceId: DEVICE_ID },
  })
  const registrationId = (register.body as { registrationId: string }).registrationId
  const record = (): Recording =>
    recordScenarios(client.observations, {
      idPrefix: 'rec-test',
      operations: servedOperations(provider),
    })
  return { provider, client, token, registrationId, record }
}

function loadBack(recording: Recording) {
  const files = recording.documents.map((document) => ({
    text: writeScenario(document),
    source: `recorded/${document.id}.yaml`,
    stem: document.id,
  }))
  const loaded = createTestScenarioLoader().load(files)
  if (!loaded.ok) throw new Error(loaded.error.map(formatScenarioProblem).join('\n'))
  return { files, scenarios: loaded.value }
}

test('records an answered call as the far end lifecycle, timed between the polls that saw it', async () => {
  const { provider, client, token, registrationId, record } = await setup()
  const created = await client.send('POST', SESSIONS, {
    token,
    headers: { registrationId, 'x-correlator': 'rec-1' },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  const id = (created.body as { mediaSessionId: string }).mediaSessionId
  // The default lifecycle: InProgress at 200ms, Ringing at 1s, Connected at 4s.
  for (const ms of [300, 800, 3000]) {
    advance(provider, ms)
    await client.send('GET', `${SESSIONS}/${id}`, { token })
  }
  advance(provider, 5900)
  await client.send('DELETE', `${SESSIONS}/${id}`, { token })
  await client.send('GET', `${SESSIONS}/${id}`, { token })

  const recording = record()
  expect(recording.skipped).toEqual([])
  expect(recording.documents).toHaveLength(1)
  const [call] = recording.documents
  expect(call?.id).toBe('rec-test-call-1')
  // Terminated is the client's own doing (its DELETE), so it is not the far end's lifecycle.
  expect(call?.content.lifecycle).toEqual([
    { at: '250ms', status: 'InProgress' },
    { at: '1050ms', status: 'Ringing' },
    { at: '4050ms', status: 'Connected' },
  ])
  expect(call?.content.steps).toEqual([
    {
      name: 'createRegistration',
      request: 'createRegistration',
      auth: { sub: ALICE, scope: expect.any(String) as string },
      // A fresh device per replay: the provider keeps registrations, and would refuse the same
      // device twice.
      body: { deviceId: '${uuid.deviceId}' },
      expect: { status: 201 },
    },
    {
      name: 'createSession',
      request: 'createSession',
      params: {
        'x-correlator': 'rec-1',
        registrationId: '${createRegistration.body.registrationId}',
      },
      auth: { sub: ALICE, scope: expect.any(String) as string },
      body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
      expect: { status: 201, body: { status: 'Initial' } },
    },
    { wait: '300ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'InProgress' } } }),
    { wait: '800ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'Ringing' } } }),
    { wait: '3000ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'Connected' } } }),
    { wait: '5900ms' },
    expect.objectContaining({ request: 'deleteSessionById', expect: { status: 204 } }),
    expect.objectContaining({ expect: { status: 200, body: { status: 'Terminated' } } }),
  ])
  const { files, scenarios } = loadBack(recording)
  expect(scenarios[0]?.definition).toEqual(call?.content)
  expect(files[0]?.text).toContain('# InProgress: first observed 300ms after the call was created')
}, 30_000)

test('the call reads its session id from the create step, never the provider id', async () => {
  const { client, token, registrationId, record } = await setup()
  const created = await client.send('POST', SESSIONS, {
    token,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  const id = (created.body as { mediaSessionId: string }).mediaSessionId
  await client.send('GET', `${SESSIONS}/${id}`, { token })
  const [call] = record().documents
  const text = writeScenario(call!)
  expect(text).not.toContain(id)
  expect(call?.content.steps).toContainEqual(
    expect.objectContaining({
      request: 'getSessionDetailsById',
      params: { mediaSessionId: '${createSession.body.mediaSessionId}' },
    }),
  )
}, 30_000)

test('records a 403 INVALID_TOKEN_CONTEXT as a fault for that originator', async () => {
  const { provider, client, registrationId, record } = await setup()
  // Alice's registration, Bob's token: the provider refuses a call placed in Alice's name.
  const bobToken = await tokenFor(provider, BOB)
  const refused = await client.send('POST', SESSIONS, {
    token: bobToken,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  expect(refused.status).toBe(403)
  const [attempt] = record().documents
  expect(attempt?.content.faults).toEqual([
    {
      name: 'observed 403 INVALID_TOKEN_CONTEXT',
      operations: ['createSession'],
      when: {
        body: {
          '/originatorAddress': { equalTo: ALICE },
          '/receiverAddress': { equalTo: BOB },
        },
      },
      action: {
        type: 'respond',
        status: 403,
        code: 'INVALID_TOKEN_CONTEXT',
        message: (refused.body as { message: string }).message,
      },
    },
  ])
  expect(attempt?.content.steps).toContainEqual(
    expect.objectContaining({
      request: 'createSession',
      auth: { sub: BOB, scope: expect.any(String) as string },
      expect: { status: 403, body: { code: 'INVALID_TOKEN_CONTEXT' } },
    }),
  )
  loadBack(record())
}, 30_000)

test('redacts the bearer token by default and phone numbers on request, consistently', async () => {
  const { client, token, registrationId, provider } = await setup()
  const created = await client.send('POST', SESSIONS, {
    token,
    headers: { registrationId },
    body: { originatorAddress: ALICE, receiverAddress: BOB, offer: { sdp: 'v=0\r\n' } },
  })
  expect(created.status).toBe(201)
  const recording = recordScenarios(client.observations, {
    idPrefix: 'rec-test',
    operations: servedOperations(provider),
    redaction: { authorization: true, sinkCredential: true, phoneNumbers: true },
  })
  const text = writeScenario(recording.documents[0]!)
  expect(text).not.toContain(token)
  expect(text).not.toContain(token.split('.')[1])
  expect(text).not.toMatch(/15550001|15550002/)
  // The caller's stand-in is the same in the token's sub and in the body it was checked against.
  const [, create] = recording.documents[0]!.content.steps as {
    auth?: { sub: string }
    body?: { originatorAddress: string }
  }[]
  expect(create?.auth?.sub).toBe(create?.body?.originatorAddress)
  expect(create?.auth?.sub).toMatch(/^tel:\+1555\d{7}$/)
  loadBack(recording)
}, 30_000)
