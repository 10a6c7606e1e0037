import { createRequire } from 'node:module'
import { Writable } from 'node:stream'
import type pino from 'pino'
import type PinoPretty from 'pino-pretty'
import { toIsoTimestamp } from '../apis/index.js'
import { silentLogger, type Logger } from '../http/index.js'
import type { LogDestination, SimulatorOptions } from './options.js'

const requireModule = createRequire(import.meta.url)

/**
 * The fields of the request, delivery and exchange lines, which messageFormat below turns into
 * one sentence: pino-pretty does not print them again. No other line uses these names.
 */
const SENTENCE_FIELDS = [
  ...['kind', 'method', 'path', 'status', 'ms', 'face', 'operationId', 'scenario', 'violations'],
  ...['correlator', 'fault', 'reasons', 'result', 'eventType', 'subscriptionId', 'sink'],
  ...['attempt', 'reason', 'nextAttemptAt'],
]

type LogRecord = Record<string, unknown>

/** The compact line a person reads in a terminal: pino-pretty prints time and level before it. */
function sentence(log: LogRecord, messageKey: string): string {
  const text = (key: string): string => String(log[key] ?? '-')
  switch (log.kind) {
    case 'request': {
      const status = log.status === 0 ? 'dropped' : text('status')
      const ms = typeof log.ms === 'number' ? log.ms.toFixed(1) : '-'
      const line = `${text('method')} ${text('path')} ${status} ${ms}ms scenario=${text('scenario')} violations=${text('violations')}`
      const fault = log.fault === undefined ? '' : ` fault: ${text('fault')}`
      const reasons = Array.isArray(log.reasons) ? log.reasons.map((r) => ` | ${String(r)}`) : []
      return `${line}${fault}${reasons.join('')}`
    }
    case 'delivery': {
      const answer = log.status === undefined ? '' : ` (${text('status')})`
      const next =
        log.nextAttemptAt === undefined ? '' : `; next attempt at ${text('nextAttemptAt')}`
      return `event ${text('eventType')} to ${text('sink')} attempt ${text('attempt')} ${text('result')}${answer}: ${text('reason')}${next}`
    }
    case 'exchange':
      return `${text('method')} ${text('path')} in and out:`
    default:
      return text(messageKey)
  }
}

/**
 * pino-pretty for a terminal: local time, level, and one sentence per request or delivery;
 * into `destination`, else to fd 1.
 */
function prettyStream(destination: Writable | undefined): NodeJS.WritableStream {
  const pretty = requireModule('pino-pretty') as typeof PinoPretty
  return pretty({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: ['pid', 'hostname', ...SENTENCE_FIELDS].join(','),
    singleLine: true,
    messageFormat: (log, messageKey) => sentence(log, messageKey),
    ...(destination ? { destination } : {}),
  })
}

/** A LogDestination as the stream pino and pino-pretty write to (pino-pretty pipes into it). */
function toStream(destination: LogDestination): Writable {
  return new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, done) {
      destination.write(String(chunk))
      done()
    },
  })
}

/** The longest a JSON log line waits to be written with the lines after it. */
const LOG_BATCH_MS = 50
/** Lines gathered up to this size are written at once, without waiting. */
const LOG_BATCH_BYTES = 8 * 1024

/**
 * stdout for pino's JSON lines, written in batches. Each asynchronous write is a round trip
 * through libuv's thread pool, on the server's core, and writing as soon as the previous write
 * had returned made one for every two or three request lines under load: ~10 % of the CPU a
 * bench POST took (docs/performance.md). Lines now wait until 8 KiB have gathered, or 50 ms at
 * most; pino still writes whatever is left when the process exits.
 */
function batchedStdout(create: typeof pino): pino.DestinationStream {
  const destination = create.destination({ sync: false, minLength: LOG_BATCH_BYTES })
  let timer: NodeJS.Timeout | undefined
  const flush = (): void => {
    timer = undefined
    try {
      destination.flush()
    } catch {
      // The stream is gone (stdout closed): there is nobody to write to any more.
    }
  }
  return {
    write(line: string): void {
      destination.write(line)
      timer ??= setTimeout(flush, LOG_BATCH_MS).unref()
    },
  }
}

// The last millisecond a line was written in, and its time field.
let lastLineMs = Number.NaN
let lastLineTime = ''

/**
 * pino's stdTimeFunctions.isoTime, the same bytes, formatted once per millisecond: a busy
 * server writes several request lines in each, and a Date's ISO text was a visible part of
 * each line's cost.
 */
function isoTimeOfLine(): string {
  const ms = Date.now()
  if (ms !== lastLineMs) {
    lastLineMs = ms
    lastLineTime = `,"time":"${toIsoTimestamp(ms)}"`
  }
  return lastLineTime
}

/**
 * callsim's log on stdout (or `destination`): in a terminal (or with --log-format pretty) one
 * readable line per event through pino-pretty; otherwise (CI, files, --log-format json) pino's
 * JSON lines with ISO times. pino is loaded with the first line logged: a start-up logs
 * nothing, and loading it cost ~30 ms of every start (docs/performance.md). `silent` never
 * loads it.
 */
export function createLogger(
  level: SimulatorOptions['logLevel'],
  format: SimulatorOptions['logFormat'] = 'auto',
  destination?: LogDestination,
): Logger {
  if (level === 'silent') return silentLogger
  const levels = ['debug', 'info', 'warn', 'error']
  const threshold = levels.indexOf(level)
  const isTTY = destination ? destination.isTTY : process.stdout.isTTY === true
  const pretty = format === 'pretty' || (format === 'auto' && isTTY)
  let logger: pino.Logger | undefined
  const get = (): pino.Logger => {
    if (logger === undefined) {
      const create = requireModule('pino') as typeof pino
      const options = { level, base: undefined, timestamp: isoTimeOfLine }
      const stream = destination && toStream(destination)
      // To stdout, asynchronous writes in batches, so a busy server does not wait on its
      // terminal or pipe; pino and pino-pretty flush what is left when the process exits.
      logger = create(options, pretty ? prettyStream(stream) : (stream ?? batchedStdout(create)))
    }
    return logger
  }
  return {
    debug: (fields, message) => get().debug(fields, message),
    info: (fields, message) => get().info(fields, message),
    warn: (fields, message) => get().warn(fields, message),
    error: (fields, message) => get().error(fields, message),
    isLevelEnabled: (wanted) => levels.indexOf(wanted) >= threshold,
  }
}
