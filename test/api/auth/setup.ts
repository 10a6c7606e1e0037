import request from 'supertest'
import type { SimulatorOptions } from '../../../src/app/index.js'
import { registerDevice } from '../../support/register-device.js'
import { ALICE, BOB, startSimulator } from '../../support/start-simulator.js'

export const CALLS = '/webrtc-call-handling/vwip'
export const REGISTRATIONS = '/webrtc-registration/vwip'
export const OFFER = { sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' }

/**
 * A strict, seeded simulator in which Alice has a day-long token and a registered device,
 * plus a createSession helper that sends her registrationId unless told otherwise.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}) {
  const simulator = startSimulator(overrides)
  const dayToken = async (sub: string, scope?: string) =>
    (await simulator.control.issueToken({ sub, scope, expiresInMs: 24 * 3_600_000 })).token
  const tokens = { alice: await dayToken(ALICE), bob: await dayToken(BOB) }
  const registrationId =
    overrides.registration === 'optional' ? 'reg-1' : await registerDevice(simulator, ALICE)
  const http = request(simulator.app)
  const createSession = (
    body: object = { originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER },
    headers: Record<string, string> = {},
  ) =>
    http
      .post(`${CALLS}/sessions`)
      .set({
        authorization: `Bearer ${tokens.alice}`,
        registrationid: registrationId,
        'x-correlator': 'auth-test-1',
        ...headers,
      })
      .send(body)
  return { simulator, http, tokens, dayToken, registrationId, createSession }
}
