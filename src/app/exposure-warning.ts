import type { SimulatorOptions } from './options.js'
import { DEFAULT_TOKEN_SECRET } from './tokens.js'

function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare)
}

/**
 * What a callsim listening beyond this machine lets the network do, as lines for the terminal;
 * none on a loopback address. A sandbox on 0.0.0.0 is often meant, so this warns, not refuses.
 */
export function exposureWarning(
  options: Pick<SimulatorOptions, 'host' | 'adminToken' | 'tokenSecret'>,
): string[] {
  if (isLoopbackAddress(options.host)) return []
  const exposed = [
    ...(options.adminToken === undefined
      ? [
          '  - the control API (/_callsim) without --admin-token: anyone who can reach it can reset the network, mint tokens for any subscriber and read the journal',
        ]
      : []),
    ...(options.tokenSecret === DEFAULT_TOKEN_SECRET
      ? [
          '  - tokens signed with the published development secret: anyone can sign their own; set --token-secret or CALLSIM_TOKEN_SECRET',
        ]
      : []),
  ]
  return [
    `WARNING: callsim listens on ${options.host}, which other machines can reach.`,
    ...(exposed.length > 0
      ? ['They can use:', ...exposed]
      : ['The control API needs the admin token, and tokens use your own secret.']),
    'See "Exposing callsim" in docs/admin-api.md.',
  ]
}
