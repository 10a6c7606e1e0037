// The SBC's view of an address: the number it logs for a party, whether a call crosses a
// country border, and the stable customer and account ids that follow an address, each kept
// per address because every list request derives them for every session it returns.
import { createRandom, type Call } from '../../core/index.js'

/** The RFC 3323 anonymous URI: a caller who withholds their number. */
export const ANONYMOUS = 'sip:anonymous@anonymous.invalid'

/**
 * The number an SBC logs for a party: the E.164 form of a tel: URI ('+4581808888'), the user
 * part of a sip: URI, `anonymous` for the RFC 3323 anonymous URI and the service name of an
 * emergency URN ('sos'). A local number with a global phone-context (RFC 3966 §5.1.5) is
 * written out in full.
 */
export function toSbcNumber(address: string): string {
  return sbcNumbers(address)
}

/**
 * `derive`, with its results kept per key: a few addresses make most calls, and every list
 * request derives two numbers per session. At `bound` keys the memory starts over, and keys
 * longer than an address (256 characters) are not kept, so it stays small and flat whatever
 * the addresses clients send.
 */
function keptUpTo<T>(bound: number, derive: (key: string) => T): (key: string) => T {
  const kept = new Map<string, T>()
  return (key) => {
    if (key.length > 256) return derive(key)
    let value = kept.get(key)
    if (value === undefined) {
      if (kept.size >= bound) kept.clear()
      value = derive(key)
      kept.set(key, value)
    }
    return value
  }
}

const KEPT_ADDRESSES = 10_000

const sbcNumbers = keptUpTo(KEPT_ADDRESSES, (address) => {
  if (address === ANONYMOUS) return 'anonymous'
  const urn = /^urn:service:(.+)$/.exec(address)
  if (urn) return urn[1] as string
  const scheme = /^(tel|sips?):(.*)$/.exec(address)
  if (!scheme) return address
  const rest = scheme[2] as string
  // sip:user;params@host;uri-params: the user part is everything before '@'.
  const userPart = scheme[1] === 'tel' ? rest : (rest.split('@', 1)[0] as string)
  const [number = '', ...params] = userPart.split(';')
  const context = params
    .find((param) => param.startsWith('phone-context='))
    ?.slice('phone-context='.length)
  // RFC 3966 visual separators ('-', '.', '(', ')') are not part of the number.
  const digits = /^\+?[0-9().-]+$/.test(number) ? number.replace(/[().-]/g, '') : number
  if (!digits.startsWith('+') && context !== undefined && /^\+[0-9]+$/.test(context))
    return `${context}${digits}`
  return digits
})

/** E.164 country codes of one and two digits (ITU-T E.164 list); every other code has three. */
const SHORT_COUNTRY_CODES = new Set(
  '1 7 20 27 30 31 32 33 34 36 39 40 41 43 44 45 46 47 48 49 51 52 53 54 55 56 57 58 60 61 62 63 64 65 66 81 82 84 86 90 91 92 93 94 95 98'.split(
    ' ',
  ),
)

/** The country calling code of an E.164 number ('+4581808888' → '45'), if it is one. */
function countryCodeOf(number: string): string | undefined {
  if (!/^\+[1-9][0-9]{4,14}$/.test(number)) return undefined
  const digits = number.slice(1)
  for (const length of [1, 2]) {
    const code = digits.slice(0, length)
    if (SHORT_COUNTRY_CODES.has(code)) return code
  }
  return digits.slice(0, 3)
}

/**
 * A call, given its A- and B-number in their SBC form, is international when both numbers are
 * E.164 and the B-number's country code differs from the A-number's. An anonymous or non-E.164
 * caller gives nothing to compare with, so such a call is not counted as international.
 */
export function areInternational(aNumber: string, bNumber: string): boolean {
  const a = countryCodeOf(aNumber)
  const b = countryCodeOf(bNumber)
  return a !== undefined && b !== undefined && a !== b
}

/** The address on the API client's end: the TelecomX customer's own line. */
export function customerAddressOf(call: Call): string {
  return call.side === 'originating' ? call.originator.address : call.receiver.address
}

/** 32-bit FNV-1a: a stable hash so that ids follow the address, not the call. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** A 24-digit upper-case hex id (the TelecomX id form) derived from `key`. */
export function idFor(key: string): string {
  const random = createRandom(hashOf(key))
  let id = ''
  for (let i = 0; i < 24; i += 1) id += random.int(0, 15).toString(16).toUpperCase()
  return id
}

/**
 * The customer that owns a number: the same address always has the same customer id, so the
 * `customer` filter finds every call of one subscriber.
 */
export function customerIdOf(address: string): string {
  return customerIds(address)
}

// Deriving an id draws 24 seeded numbers (~2 µs).
const customerIds = keptUpTo(KEPT_ADDRESSES, (address) => idFor(`customer:${address}`))

/** The customer an SBC session belongs to (the source customer of 'O', the destination of 'I'). */
export function customerIdOfCall(call: Call): string {
  return customerIdOf(customerAddressOf(call))
}
