import type { Command } from 'commander'
import { DEFAULT_TOKEN_SECRET, createTokenService } from '../app/index.js'
import type { CommandIo } from './cli-io.js'
import { parseDurationOption } from './parse-options.js'
import { DEFAULT_SUBSCRIBER } from './serve.js'
import { usageError } from './usage.js'

const SYSTEM_CLOCK = {
  kind: 'system',
  now: () => Date.now(),
  schedule: () => ({ timerTicket: 0, fire: () => undefined }),
  arm: () => undefined,
  cancel: () => undefined,
  pending: () => 0,
} as const

export function registerToken(program: Command, io: CommandIo): void {
  program
    .command('token')
    .description('print a signed bearer token that a callsim with the same secret accepts')
    .option('--sub <address>', 'the subscriber (tel: or sip: URI)', DEFAULT_SUBSCRIBER)
    .requiredOption(
      '--scope <scopes>',
      'space-separated scopes, e.g. "webrtc-call-handling:sessions:create"',
    )
    .option('--expires-in <duration>', 'lifetime, e.g. 30m or 1h', parseDurationOption, 3_600_000)
    .option(
      '--claim <name=value>',
      'an extra claim (repeatable), e.g. accessLevel=ADMIN',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      '--secret <secret>',
      'HS256 secret (default: $CALLSIM_TOKEN_SECRET or the documented dev secret)',
    )
    .action(
      async (
        flags: {
          sub: string
          scope: string
          expiresIn: number
          claim?: string[]
          secret?: string
        },
        command: Command,
      ) => {
        if (!/^(tel|sip):/.test(flags.sub))
          usageError(
            command,
            `--sub must be a tel: or sip: address, e.g. tel:+15550001; got "${flags.sub}".`,
          )
        const claims: Record<string, unknown> = {}
        for (const pair of flags.claim ?? []) {
          const [name, ...rest] = pair.split('=')
          if (!name || rest.length === 0)
            usageError(command, `--claim takes name=value, e.g. accessLevel=ADMIN; got "${pair}".`)
          const value = rest.join('=')
          claims[name] = value.includes(',') ? value.split(',') : value
        }
        // An empty value means unset: an empty HS256 key would crash token signing.
        const service = createTokenService(
          flags.secret || io.env.CALLSIM_TOKEN_SECRET || DEFAULT_TOKEN_SECRET,
          SYSTEM_CLOCK,
        )
        const issued = await service.issue({
          sub: flags.sub,
          scope: flags.scope,
          expiresInMs: flags.expiresIn,
          claims,
        })
        io.stdout.write(`${issued.token}\n`)
      },
    )
}
