import request from 'supertest'
import { expect } from 'vitest'
import type { SimulatorOptions } from '../../../src/app/index.js'
import type { Lifecycle } from '../../../src/core/index.js'
import { checkAgainstOfficialSpec } from '../../support/official-spec.js'
import { recordResponses, type RecordedExchange } from '../../support/record-responses.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, BOB, advance, startSimulator } from '../../support/start-simulator.js'

export { ALICE, BOB }
export const BASE = '/webrtc-call-handling/vwip'
/** The default lifecycle answers 4 s after creation (200 ms + 800 ms + 3 s). */
export const ANSWER_AFTER_MS = 4000
export const OFFER = {
  sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n',
}
export const NEW_SESSION = { originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER }
/** Upper-case hex, as the CAMARA examples show media session ids. */
export const MEDIA_SESSION_ID = /^[0-9A-F]{48}$/

// Every response of every test in this folder, checked against the official spec after each test.
export const recorded: RecordedExchange[] = []

/** afterEach hook: the responses of the test conform to the official CAMARA reference file too. */
export function expectResponsesMatchOfficialSpec(): void {
  const { violations } = checkAgainstOfficialSpec(recorded.splice(0))
  expect(violations).toEqual([])
}

/**
 * A strict, seeded simulator on the virtual clock with a registered device for Alice, and a
 * small client for the four operations that sends what a real client sends: bearer token,
 * registrationId and an x-correlator.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}) {
  const simulator = startSimulator(overrides)
  const recorder = recordResponses(simulator.app, recorded)
  const http = request(recorder.app)
  const dayToken = async (sub: string) =>
    (await simulator.control.issueToken({ sub, expiresInMs: 24 * 3_600_000 })).token
  const tokens = { alice: await dayToken(ALICE), bob: await dayToken(BOB) }
  const registrationId = await registerDevice(simulator, ALICE)
  const headers = (token: string, correlator = 'test-correlator-1') => ({
    authorization: `Bearer ${token}`,
    'x-correlator': correlator,
  })
  const session = (id: string) => `${BASE}/sessions/${encodeURIComponent(id)}`

  return {
    simulator,
    http,
    tokens,
    registrationId,
    headers,
    createSession: (body: object | null = NEW_SESSION, token = tokens.alice) => {
      const post = http
        .post(`${BASE}/sessions`)
        .set(headers(token))
        .set('registrationId', registrationId)
      // null sends no body at all.
      return body === null ? post : post.send(body)
    },
    getSession: (id: string, token = tokens.alice) => http.get(session(id)).set(headers(token)),
    updateStatus: (id: string, body: object | null, token = tokens.alice) => {
      const put = http.put(`${session(id)}/status`).set(headers(token))
      return body === null ? put : put.send(body)
    },
    deleteSession: (id: string, token = tokens.alice) =>
      http.delete(session(id)).set(headers(token)),
    /** Creates Alice's call to Bob and returns its id. */
    placeCall: async (body: object = NEW_SESSION): Promise<string> => {
      const created = await http
        .post(`${BASE}/sessions`)
        .set(headers(tokens.alice))
        .set('registrationId', registrationId)
        .send(body)
      if (created.status !== 201) throw new Error(`placeCall: ${created.status} ${created.text}`)
      return (created.body as { mediaSessionId: string }).mediaSessionId
    },
    /** Bob calls Alice: the network offers her an incoming call, as a scenario or the admin API would. */
    offerIncomingCall: (lifecycle: Lifecycle = { steps: [] }): string =>
      simulator.network.offerIncomingCall({
        originator: { address: BOB },
        receiver: { address: ALICE },
        offer: OFFER,
        owner: ALICE,
        scenarioId: 'default',
        lifecycle,
      }).id,
    advance: (ms: number) => advance(simulator, ms),
  }
}
