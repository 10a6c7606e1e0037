import request from 'supertest'
import type { Simulator } from '../../src/app/index.js'
import { ALICE, tokenFor } from './start-simulator.js'

export const REGISTRATION_BASE = '/webrtc-registration/vwip'
export const DEVICE_ID = '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11'

/**
 * Registers a device for `sub` through the Registration face, as a client would before its
 * first call, and returns the registrationId that createSession's header needs.
 */
export async function registerDevice(
  simulator: Simulator,
  sub: string = ALICE,
  deviceId: string = DEVICE_ID,
): Promise<string> {
  const response = await request(simulator.app)
    .post(`${REGISTRATION_BASE}/sessions`)
    .set('authorization', `Bearer ${await tokenFor(simulator, sub)}`)
    .send({ deviceId })
  if (response.status !== 201)
    throw new Error(`registerDevice: ${response.status} ${JSON.stringify(response.body)}`)
  return (response.body as { registrationId: string }).registrationId
}
