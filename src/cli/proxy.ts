import { InvalidArgumentError, type Command } from 'commander'
import {
  DEFAULT_PROXY_PORT,
  DEFAULT_REDACTION,
  createProxy,
  createRecordToDir,
  type ProxyOptions,
  type RecordToDir,
  type Redaction,
} from '../app/index.js'
import { parseBasePath, type BasePaths } from './base-paths.js'
import type { CliIo, CommandIo } from './cli-io.js'
import { parseDurationOption } from './parse-options.js'
import { SERVER_OPTIONS } from './server-options.js'

interface ProxyFlags {
  upstream: string
  host: string
  port: number
  spec?: string[]
  specStrict?: boolean
  strict?: boolean
  basePath?: BasePaths
  upstreamTimeout?: number
  relayCallbacks?: string
  allowHttpSinks?: boolean
  deliveryTimeout?: number
  bodyLimit?: number
  maxFileSize?: number
  adminToken?: string
  allowedHost?: string[]
  logLevel: ProxyOptions['logLevel']
  logFormat: ProxyOptions['logFormat']
  record?: string
  redact?: Redaction
  recordRound?: number
}

const REDACTION_NAMES = {
  authorization: 'authorization',
  'sink-credential': 'sinkCredential',
  'phone-numbers': 'phoneNumbers',
} as const

/**
 * `--redact <what>` (repeatable), applied in order to the default (Authorization and
 * sinkCredential): a name adds it, `all` adds every one, `none` clears every one, so
 * `--redact none --redact phone-numbers` redacts only phone numbers.
 */
function parseRedaction(value: string, previous: Redaction = DEFAULT_REDACTION): Redaction {
  if (value === 'none') return { authorization: false, sinkCredential: false, phoneNumbers: false }
  if (value === 'all') return { authorization: true, sinkCredential: true, phoneNumbers: true }
  const member = REDACTION_NAMES[value as keyof typeof REDACTION_NAMES] as
    keyof Redaction | undefined
  if (member === undefined)
    throw new InvalidArgumentError(
      `expected one of ${Object.keys(REDACTION_NAMES).join(', ')}, all or none.`,
    )
  return { ...previous, [member]: true }
}

function describeRedaction(redaction: Redaction): string {
  const names = [
    redaction.authorization ? 'Authorization' : undefined,
    redaction.sinkCredential ? 'sinkCredential' : undefined,
    redaction.phoneNumbers ? 'phone numbers' : undefined,
  ].filter((name) => name !== undefined)
  return names.length > 0 ? `redacting ${names.join(', ')}` : 'redacting nothing'
}

/** The proxy's options as the flags give them; `--record` adds its listener on top (onObservation). */
function proxyOptions(
  flags: ProxyFlags,
  env: CliIo['env'],
): Partial<ProxyOptions> & { upstream: string } {
  return {
    upstream: flags.upstream,
    host: flags.host,
    port: flags.port,
    specs: flags.spec ?? [],
    specReading: flags.specStrict ? 'literal' : 'tolerant',
    strict: flags.strict ?? false,
    basePaths: flags.basePath ?? {},
    upstreamTimeoutMs: flags.upstreamTimeout,
    relayCallbacks: flags.relayCallbacks,
    allowHttpSinks: flags.allowHttpSinks ?? false,
    deliveryTimeoutMs: flags.deliveryTimeout,
    bodyLimitBytes: flags.bodyLimit,
    maxFileBytes: flags.maxFileSize,
    adminToken: flags.adminToken ?? env.CALLSIM_ADMIN_TOKEN,
    allowedHosts: flags.allowedHost ?? [],
    logLevel: flags.logLevel,
    logFormat: flags.logFormat,
  }
}

export function registerProxy(program: Command, io: CommandIo): Command {
  return program
    .command('proxy')
    .description(
      'forward each request to a real provider and check both sides against the specs (docs/proxy.md)',
    )
    .requiredOption(
      '--upstream <url>',
      "the provider's base URL; a face's path is appended to it (e.g. https://sandbox.example.com)",
    )
    .addOption(SERVER_OPTIONS.host())
    .addOption(SERVER_OPTIONS.port(DEFAULT_PROXY_PORT))
    .addOption(SERVER_OPTIONS.spec())
    .addOption(SERVER_OPTIONS.specStrict())
    .option(
      '--strict',
      "answer 502 with the violations instead of passing on a provider's answer that breaks the spec",
    )
    .option(
      '--base-path <face>=<path>',
      'the path the provider serves a face at, when not the spec\'s own (repeatable), e.g. camara-call-handling=/api/webrtc/v1; "camara-call-handling=" for none',
      parseBasePath,
    )
    .option(
      '--upstream-timeout <duration>',
      'how long the provider has for one answer before the client gets 504 (default 30s)',
      parseDurationOption,
    )
    .option(
      '--relay-callbacks <url>',
      "this proxy's public base URL: event sinks are rewritten to it, and each event the provider posts is checked and passed on to the app's own sink",
    )
    .addOption(SERVER_OPTIONS.allowHttpSinks())
    .addOption(SERVER_OPTIONS.deliveryTimeout())
    .addOption(SERVER_OPTIONS.bodyLimit())
    .addOption(SERVER_OPTIONS.maxFileSize())
    .addOption(SERVER_OPTIONS.adminToken())
    .addOption(SERVER_OPTIONS.allowedHost())
    .option(
      '--record <dir>',
      'write what the proxy sees into <dir> as scenario files callsim replays, one per call (docs/proxy.md#recording-and-replay)',
    )
    .option(
      '--redact <what>',
      'what the recording leaves out: authorization, sink-credential (both by default), phone-numbers, all or none (repeatable, in order)',
      parseRedaction,
    )
    .option(
      '--record-round <duration>',
      'the grid recorded lifecycle and wait times are rounded to (default 100ms)',
      parseDurationOption,
    )
    .addOption(SERVER_OPTIONS.logLevel())
    .addOption(SERVER_OPTIONS.logFormat())
    .action(async (flags: ProxyFlags) => {
      const proxy = createProxy(
        { ...proxyOptions(flags, io.env), logDestination: io.log },
        io.compileCache,
      )
      const redaction = flags.redact ?? DEFAULT_REDACTION
      const recorder: RecordToDir | undefined =
        flags.record === undefined
          ? undefined
          : createRecordToDir({
              dir: flags.record,
              faces: proxy.faces,
              redaction,
              roundToMs: flags.recordRound,
              onNotice: (message) => io.stderr.write(`callsim proxy: ${message}\n`),
            })
      if (recorder) proxy.observe(recorder.observe)
      const running = await proxy.listen()
      const { options } = proxy
      const lines = [
        `callsim proxy listening on ${running.url}, forwarding to ${options.upstream}${options.strict ? ' (strict)' : ''}`,
        ...proxy.faces.map((face) => {
          const upstreamPath = options.basePaths[face.id] ?? face.basePath
          return `  ${face.id.padEnd(22)} ${running.url}${face.basePath} -> ${options.upstream.replace(/\/+$/, '')}${upstreamPath}  (${face.spec.spec.source})`
        }),
        options.relayCallbacks === undefined
          ? 'Event sinks pass through untouched (--relay-callbacks relays them).'
          : `Event sinks are relayed through ${options.relayCallbacks}.`,
        `Violations: ${running.url}/_callsim/violations, journal: ${running.url}/_callsim/journal`,
        ...(flags.record === undefined
          ? []
          : [`Recording each call into ${flags.record} (${describeRedaction(redaction)}).`]),
      ]
      const stop = (): Promise<number> =>
        running
          .close()
          .then(() => recorder?.flush())
          .then((report) => {
            if (report && flags.record !== undefined)
              io.stdout.write(
                `Recorded ${report.written.length} call(s) into ${flags.record}${report.skipped.length > 0 ? `; left out ${report.skipped.length} request(s):\n${report.skipped.map((line) => `  - ${line}`).join('\n')}` : '.'}\n`,
              )
            return 0
          })
          .catch((error: unknown) => {
            io.stderr.write(
              `callsim proxy: could not write the recording: ${(error as Error).message}\n`,
            )
            return 1
          })
      // Before the line that says the proxy listens, as serve does: a signal may follow it at once.
      io.onRunning(stop)
      io.stdout.write(`${lines.join('\n')}\n`)
    })
}
