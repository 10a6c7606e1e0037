import request from 'supertest'
import type { SimulatorOptions } from '../../../src/app/index.js'
import { DEVICE_ID, REGISTRATION_BASE } from '../../support/register-device.js'
import { ALICE, BOB, startSimulator } from '../../support/start-simulator.js'

export { DEVICE_ID }
export const OTHER_DEVICE_ID = '9b2d7e41-0c3a-4f6b-8e15-7a9c2d4b6f80'
/** The virtual clock starts at 2025-01-01T00:00:00Z; the default TTL is one hour. */
export const DEFAULT_EXPIRY = '2025-01-01T01:00:00.000Z'
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

/**
 * A seeded, strict simulator with a registration client for Alice and Bob: each call takes
 * the caller's token, so tests read like two subscribers using the API side by side.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}) {
  const simulator = startSimulator(overrides)
  // Day-long tokens: these tests move the clock past the one-hour default token lifetime.
  const dayToken = async (sub: string) =>
    (await simulator.control.issueToken({ sub, expiresInMs: 24 * 3_600_000 })).token
  const tokens = { alice: await dayToken(ALICE), bob: await dayToken(BOB) }
  const http = request(simulator.app)
  const auth = (token: string) => ({
    authorization: `Bearer ${token}`,
    'x-correlator': 'reg-test-1',
  })
  return {
    simulator,
    tokens,
    register: (token = tokens.alice, body: object | null = { deviceId: DEVICE_ID }) => {
      // null sends no body at all.
      const post = http.post(`${REGISTRATION_BASE}/sessions`).set(auth(token))
      return body === null ? post : post.send(body)
    },
    list: (deviceId: string, token = tokens.alice) =>
      http.get(`${REGISTRATION_BASE}/sessions`).query({ deviceId }).set(auth(token)),
    get: (id: string, token = tokens.alice) =>
      http.get(`${REGISTRATION_BASE}/sessions/${encodeURIComponent(id)}`).set(auth(token)),
    refresh: (id: string, token = tokens.alice, body?: object) => {
      const put = http
        .put(`${REGISTRATION_BASE}/sessions/${encodeURIComponent(id)}`)
        .set(auth(token))
      return body === undefined ? put : put.send(body)
    },
    remove: (id: string, token = tokens.alice) =>
      http.delete(`${REGISTRATION_BASE}/sessions/${encodeURIComponent(id)}`).set(auth(token)),
    http,
  }
}
