import { Faker, en } from '@faker-js/faker'

/** A faker of our own, never the global one, so every value follows the simulator's seed. */
export function createFaker(seed: number): Faker {
  const faker = new Faker({ locale: [en] })
  faker.seed(seed)
  return faker
}

/** Network-assigned media session ids look like the CAMARA examples: upper-case hex. */
export function createMediaSessionId(faker: Faker): string {
  return faker.string.hexadecimal({ length: 48, casing: 'upper', prefix: '' })
}

/** A SIP Call-ID in the form SBCs log: digits @ the host that sent the INVITE. */
export function createSipCallId(faker: Faker): string {
  return `${faker.string.numeric(30)}@${faker.internet.ipv4()}`
}

export function createPersonName(faker: Faker): string {
  return faker.person.firstName()
}

/**
 * A plausible WebRTC audio SDP (RFC 4566) in the shape the CAMARA examples show: AMR-WB and
 * telephone-event over SRTP with ICE candidates.
 */
export function createSdp(faker: Faker): string {
  const sessionId = faker.string.numeric({ length: 19, allowLeadingZeros: false })
  const ip = faker.internet.ipv6()
  const port = faker.internet.port()
  const candidate = faker.string.numeric({ length: 10, allowLeadingZeros: false })
  const ufrag = faker.string.alphanumeric(4)
  const pwd = faker.string.alphanumeric(24)
  const key = faker.string.alphanumeric(40)
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
