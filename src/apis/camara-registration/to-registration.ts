import type { Registration } from '../../core/index.js'

/** RegSessionResponse of the CAMARA WebRTC Registration spec. */
export interface RegSession {
  registrationId: string
  regInfo: { phoneNumber?: string; regStatus: 'Registered' }
  expiresAt: string
}

/** CAMARA PhoneNumber: E.164 with a leading '+'. */
const PHONE_NUMBER = /^\+[1-9][0-9]{4,14}$/

/**
 * The E.164 number behind a subscriber address, if it has one: `tel:+1-555-0001` (RFC 3966
 * visual separators dropped) or `sip:+15550001@host;user=phone`. A plain SIP identity such
 * as `sip:alice@example.com` has none, and the spec lets regInfo omit phoneNumber.
 */
function phoneNumberOf(address: string): string | undefined {
  const match = /^(?:tel:([^;]+)|sips?:([^@;]+)@)/i.exec(address)
  const user = match?.[1] ?? match?.[2]
  if (user === undefined) return undefined
  const digits = user.replace(/[-.()]/g, '')
  return PHONE_NUMBER.test(digits) ? digits : undefined
}

export function toRegistration(registration: Registration): RegSession {
  const phoneNumber = phoneNumberOf(registration.subscriber)
  return {
    registrationId: registration.id,
    // Only active registrations are ever shown; an ended one answers 404.
    regInfo:
      phoneNumber === undefined
        ? { regStatus: 'Registered' }
        : { phoneNumber, regStatus: 'Registered' },
    expiresAt: new Date(registration.expiresAt).toISOString(),
  }
}
