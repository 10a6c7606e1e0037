import type { Faker } from '@faker-js/faker'
// The English locale alone: the package's main entry loads all seventy locales, which alone
// took most of callsim's start-up (docs/performance.md).
import { faker as englishFaker } from '@faker-js/faker/locale/en'
import { createRandom, type Random } from './random.js'

const FakerClass = englishFaker.constructor as typeof Faker

/** A faker of our own, never the global one, so every value follows the simulator's seed. */
export function createFaker(seed: number): Faker {
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions })
  faker.seed(seed)
  return faker
}

// faker.string.* spends ~0.2 µs per character in generic helpers, which made ids and SDPs the
// largest cost of placing or answering a call. These draw one seeded integer per 8 hex or 9
// decimal digits, so values still follow the seed.

/** A seeded integer in [0, max], from the faker or the Random whose stream the value follows. */
type DrawInt = (max: number) => number

const fromFaker =
  (faker: Faker): DrawInt =>
  (max) =>
    faker.number.int(max)

const HEX_PAIRS = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))
const HEX_PAIRS_UPPER = HEX_PAIRS.map((pair) => pair.toUpperCase())

/**
 * `bytes` seeded bytes as hex digits, from a table of digit pairs: a quarter of the cost of
 * formatting numbers with toString(16), and join leaves one flat string for the call to keep.
 */
function hexBytes(draw: DrawInt, bytes: number, pairs: readonly string[] = HEX_PAIRS): string {
  const parts = new Array<string>(bytes)
  let value = 0
  for (let i = 0; i < bytes; i += 1) {
    if (i % 4 === 0) value = draw(0xffffffff)
    parts[i] = pairs[(value >>> ((3 - (i % 4)) * 8)) & 0xff] as string
  }
  return parts.join('')
}

/** `length` decimal digits; the first is never 0 unless `leadingZero`. */
function decimalDigits(draw: DrawInt, length: number, leadingZero = true): string {
  let out = leadingZero ? '' : String(1 + draw(8))
  while (out.length < length) out += draw(999_999_999).toString().padStart(9, '0')
  return out.length === length ? out : out.slice(0, length)
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

/** 62^5 < 2^30: one seeded draw, read in base 62, gives five uniform characters. */
const FIVE_CHARACTERS = ALPHANUMERIC.length ** 5

function alphanumeric(draw: DrawInt, length: number): string {
  let out = ''
  while (out.length < length) {
    let value = draw(FIVE_CHARACTERS - 1)
    for (let i = 0; i < 5 && out.length < length; i += 1) {
      out += ALPHANUMERIC[value % ALPHANUMERIC.length]
      value = Math.floor(value / ALPHANUMERIC.length)
    }
  }
  return out
}

/**
 * An address in 2001:db8::/32, the IPv6 documentation prefix (RFC 3849), so no generated SDP
 * names a real host: the prefix, then six groups of four seeded hex digits. Sixteen bytes are
 * drawn all the same, so the values drawn after it follow the seed as they always did.
 */
function ipv6(draw: DrawInt): string {
  const hex = hexBytes(draw, 16)
  let out = '2001:db8'
  for (let group = 8; group < 32; group += 4) out += `:${hex.slice(group, group + 4)}`
  return out
}

/** Network-assigned media session ids look like the CAMARA examples: upper-case hex. */
export function createMediaSessionId(faker: Faker): string {
  return hexBytes(fromFaker(faker), 24, HEX_PAIRS_UPPER)
}

/** The IPv4 documentation ranges (RFC 5737): TEST-NET-1, -2 and -3. */
const DOCUMENTATION_NETS = ['192.0.2', '198.51.100', '203.0.113'] as const

/**
 * A host in one of the IPv4 documentation ranges, so no generated Call-ID names a real host,
 * from one seeded draw: faker.internet.ipv4 takes ~1.3 µs, a tenth of what placing a call costs.
 */
function ipv4(faker: Faker): string {
  const n = faker.number.int(0xffffffff)
  const net = DOCUMENTATION_NETS[n % DOCUMENTATION_NETS.length] as string
  return `${net}.${1 + ((n >>> 8) % 254)}`
}

/**
 * A SIP Call-ID in the form SBCs log: digits @ the host that sent the INVITE. Joined rather
 * than concatenated: every call keeps this string, and join makes one flat string where `+`
 * would leave a tree of string pieces (~100 bytes more per call).
 */
export function createSipCallId(faker: Faker): string {
  return [decimalDigits(fromFaker(faker), 30), '@', ipv4(faker)].join('')
}

export function createPersonName(faker: Faker): string {
  return faker.person.firstName()
}

/**
 * A plausible WebRTC audio SDP (RFC 4566) in the shape the CAMARA examples show: AMR-WB and
 * telephone-event over SRTP with ICE candidates.
 */
export function createSdp(random: Random): string {
  const draw: DrawInt = (max) => random.int(0, max)
  const sessionId = decimalDigits(draw, 19, false)
  const ip = ipv6(draw)
  const port = 1024 + draw(65535 - 1024)
  const candidate = decimalDigits(draw, 10, false)
  const ufrag = alphanumeric(draw, 4)
  const pwd = alphanumeric(draw, 24)
  const key = alphanumeric(draw, 40)
  return [
    'v=0',
    `o=- ${sessionId} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    `m=audio ${port} RTP/SAVPF 102 113`,
    `c=IN IP6 ${ip}`,
    'b=AS:64',
    'a=rtcp:9 IN IP4 0.0.0.0',
    `a=candidate:${candidate} 1 udp 2122262783 ${ip} ${port} typ host generation 0`,
    `a=ice-ufrag:${ufrag}`,
    `a=ice-pwd:${pwd}`,
    'a=ice-options:trickle renomination',
    'a=mid:audio',
    'a=sendrecv',
    'a=rtcp-mux',
    `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key}`,
    'a=rtpmap:102 AMR-WB/16000',
    'a=fmtp:102 octet-align=0; mode-set=0,1,2; mode-change-capability=2',
    'a=rtpmap:113 telephone-event/16000',
    'a=ptime:20',
    '',
  ].join('\r\n')
}

/**
 * An SDP the simulated far end sends, written out from its own seed the first time it is
 * read. Most generated answers are never read, and writing one costs ~5 µs and ~4 KB of
 * garbage per answered call (docs/performance.md). The fields are private so that schema
 * validation sees only `sdp`; toJSON serialises it like a plain { sdp } object.
 */
export class SeededSdp {
  readonly #seed: number
  #sdp: string | undefined

  constructor(seed: number) {
    this.#seed = seed
  }

  get sdp(): string {
    this.#sdp ??= createSdp(createRandom(this.#seed))
    return this.#sdp
  }

  toJSON(): { sdp: string } {
    return { sdp: this.sdp }
  }
}
