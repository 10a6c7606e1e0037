import { bodyText } from './body-text.js'
import type { AdminCall, CallLadder, Delivery, JournalEntry, TimelineEntry } from './types.js'

/** The four lanes of a ladder diagram, left to right. */
export const LANES = ['app', 'network', 'far', 'sink'] as const
export type Lane = (typeof LANES)[number]

export const LANE_TITLES: Readonly<Record<Lane, string>> = {
  app: 'Calling app',
  network: 'callsim network',
  far: 'Far end',
  sink: 'Event sink',
}

type StepKind = 'request' | 'response' | 'transition' | 'delivery'
type Tone = 'ok' | 'error' | 'violation' | 'neutral'

/** One arrow (or, when `from` equals `to`, a note on a lane) of the diagram. */
export interface LadderStep {
  readonly key: string
  readonly kind: StepKind
  readonly at: string
  /** Milliseconds since the call was created, on the simulator's clock. */
  readonly offsetMs: number
  readonly from: Lane
  readonly to: Lane
  readonly label: string
  readonly detail: string
  readonly tone: Tone
  /** A violation count, shown as a badge. */
  readonly violations: number
  /** The status a transition reached (for transitions only). */
  readonly status?: string
  /** Orders steps at the same instant (see layoutLadder). */
  readonly rank: number
  /** What clicking the arrow shows: a title and the exact body. */
  readonly payload: { readonly title: string; readonly body: string }
}

/**
 * What a status change looks like on the wire between the network and the far end (RFC 3261
 * responses and requests); the SBC face reports the same codes as endedReason.
 */
const SIP_MESSAGES: Readonly<Record<string, string>> = {
  Initial: 'INVITE',
  InProgress: '183 Session Progress',
  Proceeding: '100 Trying',
  Waiting: '182 Queued',
  Ringing: '180 Ringing',
  Connected: '200 OK',
  Hold: 're-INVITE (hold)',
  Resume: 're-INVITE (resume)',
  Terminated: 'BYE',
  SessionCancelled: 'CANCEL',
  Declined: '603 Decline',
  Busy: '486 Busy Here',
  NoAnswer: '480 Temporarily Unavailable',
  NotReachable: '404 Not Found',
  Failed: '500 Server Internal Error',
}

const REASONS: Readonly<Record<string, string>> = {
  '400': 'Bad Request',
  '401': 'Unauthorized',
  '403': 'Forbidden',
  '404': 'Not Found',
  '408': 'Request Timeout',
  '480': 'Temporarily Unavailable',
  '486': 'Busy Here',
  '500': 'Server Internal Error',
  '502': 'Bad Gateway',
  '503': 'Service Unavailable',
  '603': 'Decline',
}

const ACTORS: Readonly<Record<TimelineEntry['by'], string>> = {
  A: 'the caller (A)',
  B: 'the callee (B)',
  S: 'the network (S)',
}

const TERMINAL = new Set([
  'Terminated',
  'SessionCancelled',
  'Declined',
  'Failed',
  'NoAnswer',
  'NotReachable',
  'Busy',
])

/** The SIP message of a transition; a call's last end names its actual SIP code (e.g. 503). */
export function sipMessageOf(call: AdminCall, entry: TimelineEntry, isLast: boolean): string {
  const reason = call.endedReason
  if (isLast && TERMINAL.has(entry.to) && reason !== undefined && /^\d{3}$/.test(reason)) {
    return `${reason} ${REASONS[reason] ?? ''}`.trim()
  }
  return SIP_MESSAGES[entry.to] ?? entry.to
}

const toneOfStatus = (status: number, violations: number): Tone =>
  violations > 0 ? 'violation' : status >= 200 && status < 400 ? 'ok' : 'error'

/** The path without its query, and long ids cut to their first 8 characters so arrows fit. */
const pathOf = (path: string): string =>
  (path.split('?')[0] ?? path)
    .split('/')
    .map((segment) => (segment.length > 24 ? `${segment.slice(0, 8)}…` : segment))
    .join('/')

function exchangeSteps(exchange: JournalEntry, startMs: number): LadderStep[] {
  const offsetMs = Date.parse(exchange.at) - startMs
  const operation = exchange.operationId ?? 'no operation'
  const requestBadge = exchange.requestViolations.length
  const responseBadge = exchange.responseViolations.length
  const violationText = (list: JournalEntry['requestViolations']) =>
    list.length === 0
      ? ''
      : `\n\nViolations:\n${list.map((v) => `  ${v.path}: ${v.message}`).join('\n')}`
  return [
    {
      key: `request-${exchange.seq}`,
      kind: 'request',
      at: exchange.at,
      offsetMs,
      from: 'app',
      to: 'network',
      label: `${exchange.method} ${pathOf(exchange.path)}`,
      detail: `${exchange.face ?? 'unknown face'} · ${operation}`,
      tone: requestBadge > 0 ? 'violation' : 'neutral',
      violations: requestBadge,
      rank: 0,
      payload: {
        title: `Request #${exchange.seq}: ${exchange.method} ${exchange.path}`,
        body: `${exchange.method} ${exchange.path}\nface: ${exchange.face ?? '-'}\noperationId: ${operation}\nx-correlator: ${exchange.correlator ?? '-'}\n\n${bodyText(exchange.requestBody, exchange.requestBodyDropped)}${violationText(exchange.requestViolations)}`,
      },
    },
    {
      key: `response-${exchange.seq}`,
      kind: 'response',
      at: exchange.at,
      offsetMs,
      from: 'network',
      to: 'app',
      label: `${exchange.status}`,
      detail: `${exchange.durationMs.toFixed(1)} ms${exchange.fault ? ` · fault ${exchange.fault}` : ''}`,
      tone: toneOfStatus(exchange.status, responseBadge + requestBadge),
      violations: responseBadge,
      rank: 0,
      payload: {
        title: `Response #${exchange.seq}: ${exchange.status} to ${exchange.method} ${pathOf(exchange.path)}`,
        body: `HTTP ${exchange.status} in ${exchange.durationMs} ms\n\n${bodyText(exchange.responseBody, exchange.responseBodyDropped)}${violationText(exchange.responseViolations)}`,
      },
    },
  ]
}

function transitionStep(
  call: AdminCall,
  entry: TimelineEntry,
  index: number,
  startMs: number,
): LadderStep {
  const isLast = index === call.timeline.length - 1
  const sip = sipMessageOf(call, entry, isLast)
  // The client's end is A on a call it placed and B on a call it was offered; the far end is
  // the other party, which the governing scenario plays.
  const client = call.side === 'originating' ? 'A' : 'B'
  const fromFar = entry.by !== client && entry.by !== 'S'
  const route: Pick<LadderStep, 'from' | 'to'> =
    index === 0
      ? call.side === 'originating'
        ? { from: 'network', to: 'far' }
        : { from: 'far', to: 'network' }
      : fromFar
        ? { from: 'far', to: 'network' }
        : entry.by === client
          ? { from: 'network', to: 'far' }
          : { from: 'network', to: 'network' }
  const endedBy =
    isLast && TERMINAL.has(entry.to) && call.endedBy ? ` · ended by ${call.endedBy}` : ''
  return {
    key: `transition-${index}`,
    kind: 'transition',
    at: entry.at,
    offsetMs: Date.parse(entry.at) - startMs,
    ...route,
    label: `${sip} → ${entry.to}`,
    detail: `${entry.cause} · by ${entry.by}${endedBy}`,
    tone: TERMINAL.has(entry.to) && entry.to !== 'Terminated' ? 'error' : 'neutral',
    violations: 0,
    status: entry.to,
    // A virtual clock fires what falls due at an instant before any request made at it, so the
    // far end's and the network's changes come first; a request's own changes follow it.
    rank: index > 0 && entry.by !== client ? -1 : 1,
    payload: {
      title: `${entry.from ?? '(new)'} → ${entry.to}`,
      body: JSON.stringify(
        {
          ...entry,
          sip,
          causedBy: ACTORS[entry.by],
          endedReason: isLast ? call.endedReason : undefined,
        },
        null,
        2,
      ),
    },
  }
}

function deliveryStep(delivery: Delivery, startMs: number): LadderStep {
  const type = delivery.eventType.split('.').at(-1) ?? delivery.eventType
  const outcome =
    delivery.status === undefined ? delivery.result : `${delivery.status} ${delivery.result}`
  const retry = delivery.nextAttemptAt ? ` · retry at ${delivery.nextAttemptAt}` : ''
  return {
    key: `delivery-${delivery.seq}`,
    kind: 'delivery',
    at: delivery.at,
    offsetMs: Date.parse(delivery.at) - startMs,
    from: 'network',
    to: 'sink',
    label: `${type} · ${outcome}`,
    detail: `attempt ${delivery.attempt}${retry}${delivery.error ? ` · ${delivery.error}` : ''}`,
    tone: delivery.result === 'delivered' ? 'ok' : 'error',
    violations: 0,
    rank: 2,
    payload: {
      title: `Event ${type}, attempt ${delivery.attempt}: ${delivery.result}`,
      body: `POST ${delivery.sink}\nresult: ${outcome}${delivery.error ? `\nerror: ${delivery.error}` : ''}${retry}\n\n${JSON.stringify(delivery.event, null, 2)}`,
    },
  }
}

/**
 * The steps of one call's ladder, in the order they happened on the simulator's clock. At the
 * same instant (a virtual clock stands still): the far end's and the network's status changes,
 * then requests with their responses (in journal order), then the status changes the client's
 * requests caused, then the events sent.
 */
export function layoutLadder(ladder: CallLadder): LadderStep[] {
  const { call } = ladder
  const startMs = Date.parse(call.createdAt)
  const steps = [
    ...ladder.exchanges.flatMap((exchange) => exchangeSteps(exchange, startMs)),
    ...call.timeline.map((entry, index) => transitionStep(call, entry, index, startMs)),
    ...ladder.deliveries.map((delivery) => deliveryStep(delivery, startMs)),
  ]
  return steps
    .map((step, order) => ({ step, order }))
    .sort(
      (a, b) => a.step.offsetMs - b.step.offsetMs || a.step.rank - b.step.rank || a.order - b.order,
    )
    .map(({ step }) => step)
}

/** "+1.250 s" on the simulator's clock, relative to the call's creation. */
export function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+'
  return `${sign}${(Math.abs(offsetMs) / 1000).toFixed(3)} s`
}
