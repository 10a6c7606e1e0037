import { expect, test } from 'vitest'
import { createFaker, createRandom, createSdp, createSipCallId } from '../../../src/core/index.js'

// Generated addresses must never name a real host: documentation ranges only (RFC 5737 for
// IPv4, RFC 3849 for IPv6), as docs/telecomx-sbc.md promises.
const IPV4_DOCUMENTATION =
  /^(192\.0\.2|198\.51\.100|203\.0\.113)\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])$/
const IPV6_DOCUMENTATION = /^2001:db8(:[0-9a-f]{4}){6}$/

test('puts every generated Call-ID host in an IPv4 documentation range', () => {
  const hosts = new Set<string>()
  for (let seed = 0; seed < 300; seed += 1) {
    const host = createSipCallId(createFaker(seed)).split('@')[1] ?? ''
    expect(host).toMatch(IPV4_DOCUMENTATION)
    hosts.add(host.split('.').slice(0, 3).join('.'))
  }
  // All three ranges are used, not one.
  expect(hosts.size).toBe(3)
})

test('puts the addresses of every generated SDP in 2001:db8::/32', () => {
  for (let seed = 0; seed < 100; seed += 1) {
    const sdp = createSdp(createRandom(seed))
    const connection = /^c=IN IP6 (\S+)$/m.exec(sdp)?.[1]
    const candidate = /^a=candidate:\d+ 1 udp \d+ (\S+) \d+ typ host/m.exec(sdp)?.[1]
    expect(connection).toMatch(IPV6_DOCUMENTATION)
    expect(candidate).toBe(connection)
  }
})
