import { DEFAULT_MAX_FILE_BYTES } from '../contract/index.js'
import { DEFAULT_RETENTION_MS, DEFAULT_VIRTUAL_EPOCH_MS } from '../core/index.js'
import {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_SERVER_LIMITS,
  type ServerLimits,
} from '../http/index.js'
import { DEFAULT_DELIVERY_TIMEOUT_MS } from '../notify/index.js'
import { DEFAULT_TOKEN_SECRET } from './tokens.js'

/** A place for log lines: each write is whole lines; `isTTY` picks the format under `auto`. */
export interface LogDestination {
  readonly write: (text: string) => void
  readonly isTTY: boolean
}

export interface SimulatorOptions {
  readonly host: string
  readonly port: number
  /** Seeds every generated id, name, SDP and random decision. Undefined: a fresh seed. */
  readonly seed: number | undefined
  readonly clock: 'system' | 'virtual'
  /** Where a virtual clock starts (epoch ms). */
  readonly clockStartMs: number
  /** Spec files that replace the built-in spec of the face they match (by operationIds). */
  readonly specs: readonly string[]
  /**
   * `tolerant` repairs the spec defects whose intent is certain (docs/spec-defects.md) and warns;
   * `literal` (`--spec-strict`) serves every file exactly as written, and still warns.
   */
  readonly specReading: 'tolerant' | 'literal'
  readonly strict: boolean
  readonly retentionMs: number
  readonly tokenSecret: string
  readonly bodyLimitBytes: number
  /** Timeouts, the connection cap and the drain of refused bodies (not CLI options). */
  readonly serverLimits: ServerLimits
  /**
   * `required`: createSession's registrationId must name an active registration of the caller.
   * `optional`: any value is accepted, so sandbox users can skip registering.
   */
  readonly registration: 'required' | 'optional'
  /** Click2Call call templates file; undefined: the built-in config/call-templates.yaml. */
  readonly callTemplates: string | undefined
  /**
   * Sandbox relaxation of the WebRTC Events spec: also accept http:// sinks on loopback
   * addresses (a local test server has no certificate). See docs/events.md.
   */
  readonly allowHttpSinks: boolean
  /** How long one event delivery attempt may take (real time) before it counts as failed. */
  readonly deliveryTimeoutMs: number
  readonly logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug'
  /** `pretty`: one readable line per request; `json`: pino's JSON lines; `auto`: pretty in a terminal. */
  readonly logFormat: 'auto' | 'pretty' | 'json'
  /**
   * Where the log goes. Unset: the process's stdout, which pino writes to asynchronously (a
   * busy server never waits on its pipe). The CLI run in a test's process (cli/cli-io.ts) sets
   * it, so that the test reads the log as the terminal would show it.
   */
  readonly logDestination: LogDestination | undefined
  /** Load the shipped scenarios/ library (default.yaml, lifecycle/, errors/, network/). */
  readonly builtInScenarios: boolean
  /** More scenario files or folders (`--scenarios`); ids must be unique across all of them. */
  readonly scenarioPaths: readonly string[]
  /** Reload the scenarios when one of their files changes (`--watch`). */
  readonly watchScenarios: boolean
  /** Largest spec, scenario or call templates file read, in bytes (docs/file-limits.md). */
  readonly maxFileBytes: number
  /** When set, the control API requires `Authorization: Bearer <adminToken>`. */
  readonly adminToken: string | undefined
  /**
   * Host names the control API answers besides loopback names and `host` (`--allowed-host`):
   * a request whose Host header names another gets 403 (DNS rebinding).
   */
  readonly allowedHosts: readonly string[]
}

const DEFAULT_OPTIONS: SimulatorOptions = {
  host: '127.0.0.1',
  port: 9091,
  seed: undefined,
  clock: 'system',
  clockStartMs: DEFAULT_VIRTUAL_EPOCH_MS,
  specs: [],
  specReading: 'tolerant',
  strict: false,
  retentionMs: DEFAULT_RETENTION_MS,
  tokenSecret: DEFAULT_TOKEN_SECRET,
  bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
  serverLimits: DEFAULT_SERVER_LIMITS,
  registration: 'required',
  callTemplates: undefined,
  allowHttpSinks: false,
  deliveryTimeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
  logLevel: 'info',
  logFormat: 'auto',
  logDestination: undefined,
  builtInScenarios: true,
  scenarioPaths: [],
  watchScenarios: false,
  maxFileBytes: DEFAULT_MAX_FILE_BYTES,
  adminToken: undefined,
  allowedHosts: [],
}

export function resolveOptions(overrides: Partial<SimulatorOptions>): SimulatorOptions {
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, value]) => value !== undefined),
  )
  return { ...DEFAULT_OPTIONS, ...defined }
}
