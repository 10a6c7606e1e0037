import { Option } from 'commander'
import { collect, parseDurationOption, parseInteger, parseMebibytes } from './parse-options.js'

/**
 * The options `serve` and `proxy` share, defined once so that both commands spell, parse and
 * explain them alike. Each call returns a fresh Option: commander keeps state on them.
 */
export const SERVER_OPTIONS = {
  host: () => new Option('--host <host>', 'address to listen on').default('127.0.0.1'),
  port: (port: number) =>
    new Option('-p, --port <port>', 'port to listen on (0 picks a free one)')
      .argParser(parseInteger(0, 65535))
      .default(port),
  spec: () =>
    new Option(
      '--spec <file>',
      'serve this OpenAPI file instead of the built-in spec with the same operationIds (repeatable)',
    ).argParser(collect),
  specStrict: () =>
    new Option(
      '--spec-strict',
      'serve every spec file exactly as written, without repairing its known defects (docs/spec-defects.md)',
    ),
  bodyLimit: () =>
    new Option('--body-limit <bytes>', 'largest request body accepted').argParser(
      parseInteger(1, 64 * 1024 * 1024),
    ),
  allowHttpSinks: () =>
    new Option(
      '--allow-http-sinks',
      'also accept http:// event sinks on loopback addresses (localhost, 127.x, [::1]); the spec demands https',
    ),
  deliveryTimeout: () =>
    new Option(
      '--delivery-timeout <duration>',
      'how long one event delivery attempt may take (default 5s)',
    ).argParser(parseDurationOption),
  maxFileSize: () =>
    new Option(
      '--max-file-size <MiB>',
      'largest spec, scenario or call templates file read (default 5)',
    ).argParser(parseMebibytes),
  adminToken: () =>
    new Option(
      '--admin-token <token>',
      'require "Authorization: Bearer <token>" on the control API (default: $CALLSIM_ADMIN_TOKEN, or no token)',
    ),
  allowedHost: () =>
    new Option(
      '--allowed-host <name>',
      'also answer control API requests whose Host header names this host (repeatable); loopback names and --host always work',
    ).argParser(collect),
  logLevel: () =>
    new Option('--log-level <level>', 'log verbosity')
      .choices(['silent', 'error', 'warn', 'info', 'debug'])
      .default('info'),
  logFormat: () =>
    new Option(
      '--log-format <format>',
      'pretty: one readable line per request; json: pino JSON lines; auto: pretty in a terminal, JSON otherwise',
    )
      .choices(['auto', 'pretty', 'json'])
      .default('auto'),
}
