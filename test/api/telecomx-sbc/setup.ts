import request, { type Response } from 'supertest'
import { expect } from 'vitest'
import type { SimulatorOptions } from '../../../src/app/index.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, BOB, startSimulator, tokenFor } from '../../support/start-simulator.js'

export { ALICE, BOB }
export const SBC = '/sbc'
const CAMARA = '/webrtc-call-handling/vwip'
/** The Call-ID form the SBC logs: digits @ an IPv4 host. */
export const SIP_CALL_ID = /^\d{30}@\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

/**
 * A seeded, strict simulator with an SBC administrator's token and a CAMARA client for Alice,
 * so tests make calls the way a user does and read them back as SBC sessions.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}) {
  const simulator = startSimulator(overrides)
  const http = request(simulator.app)
  const admin = await tokenFor(simulator, 'sip:noc@telecomx.example.com', 'sbc:sessions:read', {
    accessLevel: 'ADMIN',
  })
  const aliceToken = await tokenFor(simulator, ALICE)
  const registrationId = await registerDevice(simulator, ALICE)
  const auth = (token: string) => ({
    authorization: `Bearer ${token}`,
    'x-correlator': 'sbc-test-1',
  })

  /**
   * Alice places a call through CAMARA; the default scenario rings for 4 s and answers, and
   * `scenario` (the x-callsim-scenario header) scripts another lifecycle.
   */
  const call = async (
    receiverAddress: string = BOB,
    originatorAddress: string = ALICE,
    scenario?: string,
  ) => {
    const response = await http
      .post(`${CAMARA}/sessions`)
      .set(auth(aliceToken))
      .set('registrationId', registrationId)
      .set(scenario === undefined ? {} : { 'x-callsim-scenario': scenario })
      .send({ originatorAddress, receiverAddress, offer: { sdp: 'v=0\r\n' } })
    if (response.status !== 201)
      throw new Error(`createSession: ${response.status} ${JSON.stringify(response.body)}`)
    const mediaSessionId = (response.body as { mediaSessionId: string }).mediaSessionId
    const sipCallId = simulator.network.getCall(mediaSessionId)?.sipCallId as string
    return { mediaSessionId, sipCallId }
  }

  // Alice registered her device above; others register on their first incoming call.
  const registered = new Set<string>([ALICE])
  /**
   * The network offers a subscriber (Bob by default) an incoming call through the control API;
   * the receiver needs a registered device, as for any call the network offers.
   */
  const incoming = async (from = 'tel:+4581808888', to = BOB) => {
    if (!registered.has(to)) {
      await registerDevice(simulator, to)
      registered.add(to)
    }
    const response = await http.post('/_callsim/calls/incoming').send({ from, to })
    if (response.status !== 201)
      throw new Error(`startIncomingCall: ${response.status} ${JSON.stringify(response.body)}`)
    const offered = response.body as { id: string; sipCallId: string }
    return { mediaSessionId: offered.id, sipCallId: offered.sipCallId }
  }

  return {
    simulator,
    http,
    tokens: { admin, alice: aliceToken },
    auth,
    call,
    incoming,
    hangUp: (mediaSessionId: string, token = aliceToken) =>
      http.delete(`${CAMARA}/sessions/${mediaSessionId}`).set(auth(token)),
    getSession: (callId: string, token = admin) =>
      http.get(`${SBC}/session/${encodeURIComponent(callId)}`).set(auth(token)),
    listSessions: (query: Record<string, string | number | boolean> = {}, token = admin) =>
      http.get(`${SBC}/session`).query(query).set(auth(token)),
  }
}

/** Asserts a TelecomX SBC error as a client sees it: status, JSON, `{ error, message }` only. */
export function expectSbcError(
  response: Response,
  status: number,
  error: string,
  message?: RegExp,
): void {
  expect(response.status).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(Object.keys(response.body as object).sort()).toEqual(['error', 'message'])
  expect(response.body.error).toBe(error)
  if (message) expect(response.body.message).toMatch(message)
}
