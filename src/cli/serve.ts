import type { Command } from 'commander'
import { Option } from 'commander'
import {
  CONSOLE_PATH,
  createSimulator,
  exposureWarning,
  type Simulator,
  type SimulatorOptions,
} from '../app/index.js'
import type { CommandIo } from './cli-io.js'
import { collect, parseDurationOption, parseInteger } from './parse-options.js'
import { SERVER_OPTIONS } from './server-options.js'

export const DEFAULT_SUBSCRIBER = 'tel:+15550001'

interface ServeFlags {
  host: string
  port: number
  seed?: number
  clock: 'system' | 'virtual'
  spec?: string[]
  specStrict?: boolean
  strict?: boolean
  retention?: number
  tokenSecret?: string
  bodyLimit?: number
  callTemplates?: string
  registration: SimulatorOptions['registration']
  allowHttpSinks?: boolean
  deliveryTimeout?: number
  logLevel: SimulatorOptions['logLevel']
  logFormat: SimulatorOptions['logFormat']
  scenarios?: string[]
  watch?: boolean
  maxFileSize?: number
  adminToken?: string
  allowedHost?: string[]
}

export function registerServe(program: Command, io: CommandIo): void {
  program
    .command('serve')
    .description('start the simulator with its built-in specs and scenarios')
    .addOption(SERVER_OPTIONS.host())
    .addOption(SERVER_OPTIONS.port(9091))
    .option(
      '--seed <n>',
      'seed for every generated id, name, SDP and random decision',
      parseInteger(0, 2 ** 31 - 1),
    )
    .addOption(
      new Option('--clock <kind>', 'system time, or a virtual clock moved by POST /_callsim/clock')
        .choices(['system', 'virtual'])
        .default('system'),
    )
    .addOption(SERVER_OPTIONS.spec())
    .addOption(SERVER_OPTIONS.specStrict())
    .option('--strict', 'answer 500 instead of sending a response that breaks the spec')
    .option(
      '--retention <duration>',
      'how long finished calls stay readable (e.g. 5m)',
      parseDurationOption,
    )
    .option(
      '--token-secret <secret>',
      'HS256 secret for tokens (default: $CALLSIM_TOKEN_SECRET or the documented dev secret)',
    )
    .addOption(SERVER_OPTIONS.bodyLimit())
    .option(
      '--call-templates <file>',
      'Click2Call call templates (contactId → contact centre) instead of config/call-templates.yaml',
    )
    .addOption(
      new Option(
        '--registration <mode>',
        'required: createSession needs an active registrationId; optional: any registrationId is accepted',
      )
        .choices(['required', 'optional'])
        .default('required'),
    )
    .addOption(SERVER_OPTIONS.allowHttpSinks())
    .addOption(SERVER_OPTIONS.deliveryTimeout())
    .option(
      '--scenarios <path>',
      'also load this scenario file, or the scenario files in this folder (repeatable); ids must be unique across all of them',
      collect,
    )
    .option(
      '--watch',
      'reload the scenario files when they change; a broken edit is reported and the previous scenarios stay in force',
    )
    .addOption(SERVER_OPTIONS.maxFileSize())
    .addOption(SERVER_OPTIONS.adminToken())
    .addOption(SERVER_OPTIONS.allowedHost())
    .addOption(SERVER_OPTIONS.logLevel())
    .addOption(SERVER_OPTIONS.logFormat())
    .action(async (flags: ServeFlags) => {
      const options: Partial<SimulatorOptions> = {
        host: flags.host,
        port: flags.port,
        seed: flags.seed,
        clock: flags.clock,
        specs: flags.spec ?? [],
        specReading: flags.specStrict ? 'literal' : 'tolerant',
        strict: flags.strict ?? false,
        retentionMs: flags.retention,
        // An empty value means unset: an empty HS256 key would crash token signing.
        tokenSecret: flags.tokenSecret || io.env.CALLSIM_TOKEN_SECRET || undefined,
        bodyLimitBytes: flags.bodyLimit,
        callTemplates: flags.callTemplates,
        registration: flags.registration,
        allowHttpSinks: flags.allowHttpSinks ?? false,
        deliveryTimeoutMs: flags.deliveryTimeout,
        logLevel: flags.logLevel,
        logFormat: flags.logFormat,
        logDestination: io.log,
        scenarioPaths: flags.scenarios ?? [],
        watchScenarios: flags.watch ?? false,
        maxFileBytes: flags.maxFileSize,
        adminToken: flags.adminToken ?? io.env.CALLSIM_ADMIN_TOKEN,
        allowedHosts: flags.allowedHost ?? [],
      }
      const simulator = createSimulator(options, io.compileCache)
      const running = await simulator.listen()
      const token = await simulator.control.issueToken({
        sub: DEFAULT_SUBSCRIBER,
        expiresInMs: 24 * 3_600_000,
      })
      const lines = [
        `callsim listening on ${running.url} (seed ${simulator.seed}, ${simulator.clock.kind} clock${simulator.options.strict ? ', strict' : ''})`,
        ...simulator.faces.map(
          (face) =>
            `  ${face.id.padEnd(22)} ${running.url}${face.basePath}  (${face.spec.spec.source})`,
        ),
        `  ${'console'.padEnd(22)} ${running.url}${CONSOLE_PATH}/  (the web console: calls as ladder diagrams, the journal, the controls)`,
        ...simulator.notices,
        `${simulator.scenarios.list().length} scenarios (callsim scenarios lists them)${simulator.options.watchScenarios ? ', reloaded when their files change' : ''}${simulator.options.adminToken === undefined ? '' : '; the control API needs the admin token'}`,
        '',
        `A token for ${DEFAULT_SUBSCRIBER}, valid 24h, with every scope:`,
        `  export TOKEN=${token.token}`,
        '',
        ...registrationHint(simulator, running.url),
      ]
      // Before the line that says callsim is listening: whoever waits for that line may signal
      // at once, and a signal that comes before its handler kills the process instead.
      io.onRunning(() => running.close().then(() => 0))
      const warning = exposureWarning(simulator.options)
      if (warning.length > 0) io.stderr.write(`${warning.join('\n')}\n\n`)
      io.stdout.write(`${lines.join('\n')}\n`)
    })
}

/** With registration required, a newcomer's first createSession needs a registrationId: say how. */
function registrationHint(simulator: Simulator, url: string): string[] {
  const face = simulator.faces.find((f) => f.id === 'camara-registration')
  if (simulator.options.registration !== 'required' || !face) return []
  return [
    'New calls need the registrationId of a registered device (see docs/auth.md):',
    `  curl -s -X POST ${url}${face.basePath}/sessions -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `    -d '{"deviceId":"4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11"}'`,
    'or start with --registration optional to accept any registrationId.',
    '',
  ]
}
