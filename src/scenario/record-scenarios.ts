import { toPointer, validateResponse, type CompiledOperation } from '../contract/index.js'
import { CALL_STATUSES, TERMINAL_STATUSES } from '../core/index.js'
import { MAX_RECORDED_STRING, boundValue, stringsIn } from './bound-value.js'
import type { Observation, ObservedCallback, ObservedExchange } from './observation.js'
import { bearerClaims, toRecordedRequest, type BearerClaims } from './recorded-request.js'
import { placeOnReplayGrid } from './recording-timeline.js'
import {
  DEFAULT_REDACTION,
  PhonePseudonyms,
  redactObservations,
  type Redaction,
} from './redact-observations.js'

/**
 * Turns what a proxy saw of a real provider into scenario files callsim replays: one scenario
 * per call, whose lifecycle is what the far end did (as the provider reported it, timed as
 * observed), whose faults are the error answers callsim can reproduce, and whose steps are the
 * client's requests with expectations taken from the provider's answers. Pure: the caller
 * reads the clock and writes the files (app/record-to-dir.ts).
 */

export interface RecordOptions {
  /** Scenario ids are `<idPrefix>-call-<n>`: lower-case letters, digits and dashes. */
  readonly idPrefix: string
  /** The operations of the specs the proxy served, by operationId. */
  readonly operations: ReadonlyMap<string, CompiledOperation>
  readonly redaction?: Redaction
  /** The grid lifecycle and wait times are rounded to (default 100 ms). */
  readonly roundToMs?: number
}

/** A place in a scenario document: keys and list indexes from its root. */
export type DocumentPath = readonly (string | number)[]

/** One scenario file to write, before it is YAML. */
export interface ScenarioDocument {
  /** The scenario id, which is the file stem. */
  readonly id: string
  /** Comment lines at the top of the file. */
  readonly header: readonly string[]
  /** The scenario as the loader reads it (spec/callsim-scenario.schema.json). */
  readonly content: { readonly description: string } & Record<string, unknown>
  /** Comments written before the item at `path`: what was observed, what was cut. */
  readonly notes: readonly { readonly path: DocumentPath; readonly text: string }[]
}

export interface Recording {
  readonly documents: readonly ScenarioDocument[]
  /** What the recording left out and why, one sentence each. */
  readonly skipped: readonly string[]
}

export const DEFAULT_ROUND_TO_MS = 100

/** Operations that place a call; their answer carries the call's id. */
const CALL_CREATING = new Set(['createSession', 'startCall'])
/** Parameters and answer members that carry a call's id, on every face. */
const CALL_ID_NAMES = ['mediaSessionId', 'callId', 'sessionId'] as const
/** Operations by which the client ends a call: what follows is not the far end's doing. */
const CALL_ENDING = new Set(['deleteSessionById', 'endCall', 'endCallJsonp'])
/** The statuses a lifecycle step can report: every one but Initial, which a call starts in. */
const LIFECYCLE_STATUSES: ReadonlySet<string> = new Set(
  CALL_STATUSES.filter((status) => status !== 'Initial'),
)
const TERMINAL: ReadonlySet<string> = TERMINAL_STATUSES
/** Answer members whose values are ids the provider made up, which later requests refer to. */
const ID_MEMBER = /(^id$|Id$|ID$|_id$)/
const MAX_LIFECYCLE_STEPS = 100
const MAX_FAULTS = 100
const MAX_STEPS = 500
const RESERVED_STEP_NAMES = new Set(['env', 'sink', 'scenario', 'uuid'])

interface Prepared {
  readonly index: number
  readonly exchange: ObservedExchange
  readonly operation: CompiledOperation
  readonly params: ReadonlyMap<string, string | readonly string[]>
  readonly claims: BearerClaims | undefined
  /** The token as sent, kept only when the recording does not redact it. */
  readonly token: string | undefined
  readonly callKey: string | undefined
}

interface Producer {
  readonly index: number
  readonly path: readonly (string | number)[]
}

/** An id in an answer that a later request sent back. */
type Producers = ReadonlyMap<string, Producer>

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function member(value: unknown, name: string): unknown {
  return isObject(value) && Object.hasOwn(value, name) ? value[name] : undefined
}

function stringMember(value: unknown, name: string): string | undefined {
  const found = member(value, name)
  return typeof found === 'string' ? found : undefined
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300
}

/** A note's text as one safe line: no control characters, bounded. */
function oneLine(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

function formatMs(ms: number): string {
  return Number.isInteger(ms) ? `${ms}ms` : `${Number(ms.toFixed(1))}ms`
}

/** A `${...}` expression reading `path` of a named step's answer body. */
function expressionFor(step: string, path: readonly (string | number)[]): string {
  let out = `${step}.body`
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z0-9_$-]+$/.test(segment)) out += `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return `\${${out}}`
}

/** Text the runner must send as it is: `$${` is its escape for a literal `${`. */
function literal(text: string): string {
  // A function, not a replacement string: in one, `$$` would itself mean a single `$`.
  return text.replaceAll('${', () => '$${')
}

/** The call a request belongs to, by the id in its parameters or its creating answer. */
function callKeyOf(
  exchange: ObservedExchange,
  params: ReadonlyMap<string, unknown>,
  operationId: string,
): string | undefined {
  if (CALL_CREATING.has(operationId)) {
    if (!isSuccess(exchange.status)) return `attempt:${exchange.at}:${exchange.path}`
    for (const name of CALL_ID_NAMES) {
      const id = stringMember(exchange.responseBody, name)
      if (id !== undefined) return `call:${id}`
    }
    return undefined
  }
  for (const name of CALL_ID_NAMES) {
    const id = params.get(name)
    if (typeof id === 'string') return `call:${id}`
  }
  return undefined
}

function prepare(
  observations: readonly Observation[],
  options: RecordOptions,
  skipped: string[],
): { exchanges: Prepared[]; callbacks: ObservedCallback[] } {
  const redaction = options.redaction ?? DEFAULT_REDACTION
  const phones = new PhonePseudonyms()
  // Ordered by arrival: the proxy reports an exchange when its answer is complete.
  const ordered = observations
    .map((observation, position) => ({ observation, position }))
    .sort((a, b) => a.observation.at - b.observation.at || a.position - b.position)
    .map(({ observation }) => observation)
  const claims = ordered.map((observation) => {
    if (observation.kind !== 'exchange') return undefined
    const found = bearerClaims(observation.requestHeaders.authorization)
    if (!found || !redaction.phoneNumbers) return found
    return { ...found, sub: found.sub === undefined ? undefined : phones.replaceIn(found.sub) }
  })
  const redacted = redactObservations(ordered, redaction, phones)
  const exchanges: Prepared[] = []
  const callbacks: ObservedCallback[] = []
  redacted.forEach((observation, position) => {
    if (observation.kind === 'callback') {
      callbacks.push(observation)
      return
    }
    const what = oneLine(`${observation.method} ${observation.path}`, 120)
    const operation =
      observation.operationId === undefined
        ? undefined
        : options.operations.get(observation.operationId)
    if (!operation) {
      skipped.push(`${what}: it matched no operation of the served specs, so no step can name it`)
      return
    }
    const request = toRecordedRequest(observation, operation)
    if (typeof request === 'string') {
      skipped.push(`${what}: ${request}`)
      return
    }
    const original = ordered[position] as ObservedExchange
    exchanges.push({
      index: exchanges.length,
      exchange: observation,
      operation,
      params: request.params,
      claims: claims[position],
      token: redaction.authorization ? undefined : original.requestHeaders.authorization,
      callKey: callKeyOf(observation, request.params, operation.operationId),
    })
  })
  return { exchanges, callbacks }
}

/** Every string a request sent: its parameters and the strings of its body. */
function sentStrings(prepared: Prepared): string[] {
  const sent: string[] = []
  for (const value of prepared.params.values())
    sent.push(...(typeof value === 'string' ? [value] : value))
  stringsIn(prepared.exchange.requestBody, (text) => sent.push(text))
  return sent
}

/**
 * The ids each answer introduced: strings under an id-like member that no request had sent
 * before (an echo of the client's own value is not the provider's id). The first answer wins.
 */
function findProducers(exchanges: readonly Prepared[]): Producers {
  const producers = new Map<string, Producer>()
  const sentBefore = new Set<string>()
  for (const prepared of exchanges) {
    for (const text of sentStrings(prepared)) sentBefore.add(text)
    if (!isSuccess(prepared.exchange.status)) continue
    stringsIn(prepared.exchange.responseBody, (text, path) => {
      const key = path.at(-1)
      if (typeof key !== 'string' || !ID_MEMBER.test(key) || text === '') return
      if (!sentBefore.has(text) && !producers.has(text))
        producers.set(text, { index: prepared.index, path })
    })
  }
  return producers
}

/** The requests a call's own requests depend on (the registration its create names), transitively. */
function withDependencies(
  members: readonly Prepared[],
  exchanges: readonly Prepared[],
  producers: Producers,
): Prepared[] {
  const chosen = new Set(members.map((m) => m.index))
  const queue = [...members]
  for (let next = queue.shift(); next; next = queue.shift()) {
    for (const text of sentStrings(next)) {
      const producer = producers.get(text)
      if (!producer || producer.index >= next.index || chosen.has(producer.index)) continue
      chosen.add(producer.index)
      queue.push(exchanges[producer.index] as Prepared)
    }
  }
  return [...chosen].sort((a, b) => a - b).map((index) => exchanges[index] as Prepared)
}

/** A status the provider reported for the call, from an answer or an event. */
interface StatusSighting {
  readonly ms: number
  readonly status: string
  readonly how: string
}

interface NetworkChange {
  readonly status: string
  readonly observedMs: number
  readonly how: string
  readonly lastBeforeMs: number | undefined
}

/**
 * The far end's status changes: every change the provider reported that the client's own
 * requests do not explain (a PUT of that status, anything after the client ended the call).
 */
function networkChanges(
  callId: string | undefined,
  members: readonly Prepared[],
  callbacks: readonly ObservedCallback[],
  t0: number,
): { changes: NetworkChange[]; unknown: string[] } {
  // `order` keeps a request's own sighting after its action, and requests in the order sent;
  // an event that arrives at the same millisecond as an answer counts after it.
  type Moment =
    | { kind: 'action'; ms: number; order: number; ends: boolean; puts: string | undefined }
    | ({ kind: 'sighting'; order: number } & StatusSighting)
  const moments: Moment[] = []
  members.slice(1).forEach(({ exchange, operation }, position) => {
    const ms = exchange.at - t0
    const ok = isSuccess(exchange.status)
    moments.push({
      kind: 'action',
      ms,
      order: 2 * position,
      ends: ok && CALL_ENDING.has(operation.operationId),
      puts:
        ok && exchange.method === 'PUT' ? stringMember(exchange.requestBody, 'status') : undefined,
    })
    const status = ok ? stringMember(exchange.responseBody, 'status') : undefined
    if (status !== undefined)
      moments.push({
        kind: 'sighting',
        ms,
        order: 2 * position + 1,
        status,
        how: `${operation.operationId} answered it`,
      })
  })
  for (const callback of callbacks) {
    const data = member(callback.event, 'data')
    const status = stringMember(data, 'status')
    if (status === undefined || callId === undefined) continue
    if (!CALL_ID_NAMES.some((name) => stringMember(data, name) === callId)) continue
    const ms = callback.at - t0
    moments.push({ kind: 'sighting', ms, order: Infinity, status, how: 'an event reported it' })
  }
  moments.sort((a, b) => a.ms - b.ms || a.order - b.order)

  const changes: NetworkChange[] = []
  const unknown: string[] = []
  let current = stringMember(members[0]?.exchange.responseBody, 'status')
  let lastSeenMs: number | undefined = 0
  let clientPut: string | undefined
  let ended = false
  for (const moment of moments) {
    if (moment.kind === 'action') {
      ended ||= moment.ends
      clientPut = moment.puts ?? clientPut
      continue
    }
    if (moment.status === current) {
      lastSeenMs = moment.ms
      continue
    }
    const byClient = ended || moment.status === clientPut
    if (byClient) clientPut = undefined
    else if (!LIFECYCLE_STATUSES.has(moment.status))
      unknown.push(`"${oneLine(moment.status, 40)}" at ${formatMs(moment.ms)}`)
    else if (!TERMINAL.has(current ?? ''))
      changes.push({
        status: moment.status,
        observedMs: moment.ms,
        how: moment.how,
        lastBeforeMs: lastSeenMs,
      })
    current = moment.status
    lastSeenMs = moment.ms
  }
  return { changes: changes.slice(0, MAX_LIFECYCLE_STEPS), unknown }
}

/** What the answer must show in a replay: the status, and the members callsim can reproduce. */
function expectationOf(prepared: Prepared): { expect: Record<string, unknown>; note?: string } {
  const { exchange, operation } = prepared
  const expect: Record<string, unknown> = { status: exchange.status }
  const body: Record<string, unknown> = {}
  const code = stringMember(exchange.responseBody, 'code')
  const status = stringMember(exchange.responseBody, 'status')
  if (!isSuccess(exchange.status) && code !== undefined && code.length <= MAX_RECORDED_STRING)
    body.code = literal(code)
  else if (isSuccess(exchange.status) && status !== undefined && status.length <= 256)
    body.status = literal(status)
  if (Object.keys(body).length > 0) expect.body = body
  const violations = validateResponse(operation, {
    status: exchange.status,
    contentType: exchange.responseHeaders['content-type'],
    body: exchange.responseBody,
    headers: exchange.responseHeaders,
  })
  if (violations.length === 0) return { expect }
  // The provider broke its contract here; the replay expects what it did, not the contract.
  expect.contract = 'any'
  return {
    expect,
    note: `the provider's answer broke the spec: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`,
  }
}

/** A fault rule that makes callsim answer as the provider did, or why it cannot. */
function faultFor(
  prepared: Prepared,
  scenarioExchanges: readonly Prepared[],
  fresh: ReadonlyMap<string, string>,
): { rule: Record<string, unknown>; note: string } | string {
  const { exchange, operation } = prepared
  const code = stringMember(exchange.responseBody, 'code')
  if (code === undefined || code === '' || code.length > 100)
    return `its ${exchange.status} answer has no error code callsim can inject (a \`code\` of 1 to 100 characters)`
  const message = stringMember(exchange.responseBody, 'message')
  const when: Record<string, unknown> = {}
  // The request's own values select it, e.g. the originator a 403 INVALID_TOKEN_CONTEXT refused.
  const tests: [string, unknown][] = isObject(exchange.requestBody)
    ? Object.entries(exchange.requestBody)
        .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
        // A fresh id of each replay (see freshIds) cannot select the request; a long text should not.
        .filter(
          ([, value]) =>
            typeof value !== 'string' || (value.length <= MAX_RECORDED_STRING && !fresh.has(value)),
        )
        .slice(0, 20)
        .map(([key, value]) => [toPointer([key]), { equalTo: value }])
    : []
  if (tests.length > 0) when.body = Object.fromEntries(tests)
  const selected = scenarioExchanges.filter(
    (other) =>
      other.operation.operationId === operation.operationId &&
      tests.every(([pointer, test]) => {
        const key = pointer.slice(1).replace(/~1/g, '/').replace(/~0/g, '~')
        return member(other.exchange.requestBody, key) === (test as { equalTo: unknown }).equalTo
      }),
  )
  const sameAnswer = (other: Prepared) =>
    other.exchange.status === exchange.status &&
    stringMember(other.exchange.responseBody, 'code') === code
  // Other requests the rule would select were answered otherwise: count to this one.
  if (!selected.every(sameAnswer)) when.nth = selected.indexOf(prepared) + 1
  const injected = { status: exchange.status, code, ...(message ? { message } : {}) }
  const declared =
    validateResponse(operation, {
      status: exchange.status,
      contentType: 'application/json',
      body: exchange.responseBody,
      headers: {},
    }).length === 0
  const rule: Record<string, unknown> = {
    name: `observed ${exchange.status} ${code}`.slice(0, 100),
    operations: [operation.operationId],
    ...(Object.keys(when).length > 0 ? { when } : {}),
    action: {
      type: 'respond',
      status: injected.status,
      code,
      ...(message ? { message: message.slice(0, 512) } : {}),
    },
    ...(declared ? {} : { undeclared: true }),
  }
  const at = new Date(exchange.at).toISOString()
  return {
    rule,
    note: `${operation.operationId} was answered ${exchange.status} ${oneLine(code, 100)} at ${at}${declared ? '' : ' (not declared by the spec)'}`,
  }
}

function stepName(operationId: string, taken: Set<string>): string {
  const base =
    operationId
      .replace(/[^A-Za-z0-9_-]/g, '_')
      .replace(/^[^A-Za-z_]/, '_')
      .slice(0, 56) || 'step'
  let name = RESERVED_STEP_NAMES.has(base) ? `${base}_` : base
  for (let n = 2; taken.has(name); n += 1) name = `${base}-${n}`
  taken.add(name)
  return name
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * UUIDs the client made up for ids (a device's `deviceId`), each replaced by `${uuid.<member>}`,
 * a fresh UUID per replay: a provider keeps what they name (a device's registration), so a
 * second replay with the same id would be refused (409 ALREADY_EXISTS) where the first passed.
 */
function freshIds(all: readonly Prepared[], producers: Producers): Map<string, string> {
  const fresh = new Map<string, string>()
  const names = new Set<string>()
  for (const prepared of all) {
    stringsIn(prepared.exchange.requestBody, (text, path) => {
      const key = path.at(-1)
      if (typeof key !== 'string' || !ID_MEMBER.test(key) || !UUID.test(text)) return
      if (producers.has(text) || fresh.has(text)) return
      const base = key.replace(/[^A-Za-z0-9_-]/g, '_')
      let name = base
      for (let n = 2; names.has(name); n += 1) name = `${base}-${n}`
      names.add(name)
      fresh.set(text, `\${uuid.${name}}`)
    })
  }
  return fresh
}

/** The client step that replays one request, and what to note about it. */
function toStep(
  prepared: Prepared,
  name: string | undefined,
  refer: (text: string, before: number) => string,
  inCall: ReadonlySet<number>,
): { step: Record<string, unknown>; stepNotes: string[] } {
  const { exchange, operation } = prepared
  const cuts: string[] = []
  const step: Record<string, unknown> = {}
  if (name !== undefined) step.name = name
  step.request = operation.operationId
  if (prepared.params.size > 0) {
    step.params = Object.fromEntries(
      [...prepared.params].map(([param, value]) => [
        param,
        typeof value === 'string'
          ? refer(String(boundValue(value, (w) => cuts.push(w), param)), prepared.index)
          : value.map((v) => refer(v, prepared.index)),
      ]),
    )
  }
  if (prepared.claims?.sub !== undefined) {
    step.auth = {
      sub: prepared.claims.sub,
      ...(prepared.claims.scope === undefined ? {} : { scope: prepared.claims.scope }),
    }
  } else if (exchange.requestHeaders.authorization === undefined && operation.security.length > 0) {
    step.auth = 'none'
  }
  if (exchange.requestBody !== undefined) {
    const bounded = boundValue(exchange.requestBody, (w) => cuts.push(w))
    step.body = mapValues(bounded, (text) => refer(text, prepared.index))
  }
  const { expect, note } = expectationOf(prepared)
  step.expect = expect
  const sent = new Date(exchange.at).toISOString()
  const stepNotes = [
    `${exchange.method} answered ${exchange.status} in ${Math.round(exchange.elapsedMs)} ms at ${sent}${inCall.has(prepared.index) ? '' : ' (a request this call depends on)'}`,
  ]
  if (note) stepNotes.push(note)
  if (cuts.length > 0) stepNotes.push(`cut to the recording's limits: ${cuts.join(', ')}`)
  if (prepared.token !== undefined) stepNotes.push(`sent Authorization: ${prepared.token}`)
  else if (
    exchange.requestHeaders.authorization !== undefined &&
    prepared.claims?.sub === undefined
  )
    stepNotes.push(
      "its token named no tel:/sip: subscriber, so the replay sends callsim's default token",
    )
  return { step, stepNotes }
}

interface CallGroup {
  readonly key: string
  readonly members: Prepared[]
}

function recordCall(
  id: string,
  group: CallGroup,
  exchanges: readonly Prepared[],
  callbacks: readonly ObservedCallback[],
  producers: Producers,
  options: RecordOptions,
): ScenarioDocument {
  const roundToMs = options.roundToMs ?? DEFAULT_ROUND_TO_MS
  const notes: { path: DocumentPath; text: string }[] = []
  const create = group.members[0] as Prepared
  const t0 = create.exchange.at
  const callId = group.key.startsWith('call:') ? group.key.slice('call:'.length) : undefined
  const all = withDependencies(group.members, exchanges, producers).slice(0, MAX_STEPS)
  const inCall = new Set(group.members.map((m) => m.index))

  // Timing: the call's own requests on the replay grid, and the far end's changes between them.
  const { changes, unknown } = networkChanges(callId, group.members, callbacks, t0)
  const times = placeOnReplayGrid(
    group.members.map((m) => m.exchange.at - t0),
    changes,
    roundToMs,
  )
  const replayMs = new Map(group.members.map((m, i) => [m.index, times.requests[i] as number]))
  const lifecycle = changes.map((change, i) => {
    const at = times.changes[i] as number
    const before =
      change.lastBeforeMs === undefined
        ? ''
        : `, last seen otherwise at ${formatMs(change.lastBeforeMs)}`
    notes.push({
      path: ['lifecycle', i],
      text: `${change.status}: first observed ${formatMs(change.observedMs)} after the call was created (${change.how}${before}); replayed at ${formatMs(at)}`,
    })
    return { at: formatMs(at), status: change.status }
  })

  // Steps: every request in order, named when a later one reads its answer.
  const readers = new Map<number, Producer[]>()
  for (const prepared of all) {
    for (const text of sentStrings(prepared)) {
      const producer = producers.get(text)
      if (
        producer &&
        producer.index < prepared.index &&
        all.some((p) => p.index === producer.index)
      )
        readers.set(producer.index, [...(readers.get(producer.index) ?? []), producer])
    }
  }
  const taken = new Set<string>()
  const names = new Map<number, string>()
  for (const prepared of all)
    if (readers.has(prepared.index))
      names.set(prepared.index, stepName(prepared.operation.operationId, taken))
  const fresh = freshIds(all, producers)
  const refer = (text: string, before: number): string => {
    const uuid = fresh.get(text)
    if (uuid !== undefined) return uuid
    const producer = producers.get(text)
    const name = producer && producer.index < before ? names.get(producer.index) : undefined
    return name === undefined ? literal(text) : expressionFor(name, producer?.path ?? [])
  }

  const steps: Record<string, unknown>[] = []
  const faults: Record<string, unknown>[] = []
  let clock = 0
  let repeated:
    { key: string; note: { path: DocumentPath; text: string }; count: number } | undefined
  for (const prepared of all) {
    const { step, stepNotes } = toStep(prepared, names.get(prepared.index), refer, inCall)
    // Polls that saw the same answer are one step: the waits after it keep the timing.
    const key = prepared.exchange.method === 'GET' ? JSON.stringify(step) : undefined
    if (key !== undefined && repeated?.key === key) {
      repeated.count += 1
      repeated.note.text = `${repeated.note.text.replace(/; seen \d+ times$/, '')}; seen ${repeated.count} times`
      continue
    }
    const at = replayMs.get(prepared.index)
    if (at !== undefined && at > clock) {
      steps.push({ wait: formatMs(at - clock) })
      clock = at
    }
    if (prepared.exchange.status >= 400 && faults.length < MAX_FAULTS) {
      const fault = faultFor(prepared, all, fresh)
      if (typeof fault === 'string') stepNotes.push(`not reproduced as a fault: ${fault}`)
      else {
        notes.push({ path: ['faults', faults.length], text: fault.note })
        faults.push(fault.rule)
      }
    }
    const note = { path: ['steps', steps.length], text: stepNotes.join('; ') }
    notes.push(note)
    repeated = key === undefined ? undefined : { key, note, count: 1 }
    steps.push(step)
  }

  const originator = stringMember(create.exchange.requestBody, 'originatorAddress')
  const receiver = stringMember(create.exchange.requestBody, 'receiverAddress')
  const parties = originator && receiver ? ` from ${originator} to ${receiver}` : ''
  const outcome = callId
    ? `the far end reported ${lifecycle.length > 0 ? lifecycle.map((s) => s.status).join(', ') : 'nothing more'}`
    : `${create.operation.operationId} was answered ${create.exchange.status}`
  const description = oneLine(
    `A call${parties} recorded through callsim proxy: ${outcome}; ${group.members.length} request(s) of the client replayed as steps.`,
    500,
  )
  const header = [
    `Recorded by callsim proxy --record from ${new Date(t0).toISOString()}: ${callId ? 'a call' : 'a call attempt'} and the client's requests.`,
    `Lifecycle and wait times are rounded to ${roundToMs} ms; each lifecycle step notes when it was observed.`,
    ...(unknown.length > 0
      ? [
          `Statuses left out of the lifecycle (not callsim statuses): ${oneLine(unknown.join(', '))}`,
        ]
      : []),
    'Replay: callsim serve --clock virtual --scenarios <this folder>, then callsim run <this folder> --target <its URL>.',
  ]
  return {
    id,
    header,
    content: {
      description,
      lifecycle,
      ...(faults.length > 0 ? { faults } : {}),
      steps,
    },
    notes,
  }
}

/** A JSON value with its string values (not its keys) passed through `map`. */
function mapValues(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (Array.isArray(value)) return value.map((item) => mapValues(item, map))
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, mapValues(child, map)]),
    )
  return value
}

/**
 * Scenario documents for every call the observations show, in the order the calls were placed.
 * @example recordScenarios(observations, { idPrefix: 'rec-20261206', operations }).documents.map(writeScenario)
 */
export function recordScenarios(
  observations: readonly Observation[],
  options: RecordOptions,
): Recording {
  const skipped: string[] = []
  const { exchanges, callbacks } = prepare(observations, options, skipped)
  const producers = findProducers(exchanges)
  const groups = new Map<string, CallGroup>()
  for (const prepared of exchanges) {
    if (prepared.callKey === undefined) continue
    const group = groups.get(prepared.callKey)
    if (group) group.members.push(prepared)
    else groups.set(prepared.callKey, { key: prepared.callKey, members: [prepared] })
  }
  const documents: ScenarioDocument[] = []
  for (const group of groups.values()) {
    const first = group.members[0] as Prepared
    if (!CALL_CREATING.has(first.operation.operationId)) {
      skipped.push(
        `${group.members.length} request(s) on call ${oneLine(group.key.slice('call:'.length), 80)}, which the recording did not see placed (an incoming call, or one placed before the proxy started)`,
      )
      continue
    }
    documents.push(
      recordCall(
        `${options.idPrefix}-call-${documents.length + 1}`,
        group,
        exchanges,
        callbacks,
        producers,
        options,
      ),
    )
  }
  return { documents, skipped }
}
