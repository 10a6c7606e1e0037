import request, { type Response } from 'supertest'
import { expect } from 'vitest'
import type { SimulatorOptions } from '../../../src/app/index.js'
import { startSimulator } from '../../support/start-simulator.js'

export const C2C = '/call/2.0'
/** The built-in template `sales` (config/call-templates.yaml). */
export const SALES = 'tel:+4570101010'
export const VISITOR = '+15550009'
/** The virtual clock starts at 2025-01-01T00:00:00Z: this many seconds since the epoch. */
export const T0 = 1_735_689_600
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
/** The website's back end that starts and polls calls, and a second, independent poller. */
export const WEBSITE = 'sip:website@shop.example.com'
const MONITOR = 'sip:monitor@shop.example.com'
export const SCOPES = 'click2call:calls:create click2call:calls:read click2call:calls:delete'

/**
 * A seeded, strict simulator with the built-in call templates and a Click2Call client for
 * the website: start, poll and end calls as a user of the API does.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}) {
  const simulator = startSimulator(overrides)
  const http = request(simulator.app)
  // Day-long tokens: delayed calls move the clock a long way.
  const token = async (sub: string, scope = SCOPES) =>
    (await simulator.control.issueToken({ sub, scope, expiresInMs: 24 * 3_600_000 })).token
  const tokens = { website: await token(WEBSITE), monitor: await token(MONITOR) }
  const auth = (value: string) => ({
    authorization: `Bearer ${value}`,
    'x-correlator': 'c2c-test-1',
  })
  const startCall = (
    body?: object,
    contactId = 'sales',
    phone = VISITOR,
    bearer = tokens.website,
  ) => {
    const post = http.post(`${C2C}/${contactId}/${encodeURIComponent(phone)}`).set(auth(bearer))
    return body === undefined ? post : post.send(body)
  }
  const start = async (body?: object, contactId = 'sales', phone = VISITOR): Promise<string> => {
    const response = await startCall(body, contactId, phone)
    if (response.status !== 200)
      throw new Error(`startCall: ${response.status} ${JSON.stringify(response.body)}`)
    return (response.body as { sessionId: string }).sessionId
  }
  return {
    simulator,
    http,
    tokens,
    token,
    auth,
    startCall,
    start,
    status: (sessionId: string, bearer = tokens.website) =>
      http.get(`${C2C}/${encodeURIComponent(sessionId)}/status`).set(auth(bearer)),
    end: (sessionId: string, bearer = tokens.website) =>
      http.delete(`${C2C}/${encodeURIComponent(sessionId)}`).set(auth(bearer)),
    /** The network calls, as the control API sees them. */
    calls: () => [...simulator.control.calls()],
  }
}

/** Asserts an Oracle Click2Call error as a client sees it: status, JSON, `{ status, message }` only. */
export function expectC2cError(response: Response, status: number, message?: RegExp): void {
  expect(response.status).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(Object.keys(response.body as object).sort()).toEqual(['message', 'status'])
  expect(response.body.status).toBe(status)
  if (message) expect(response.body.message).toMatch(message)
}
