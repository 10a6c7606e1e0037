import type { CompiledOperation } from '../contract/index.js'
import { stringsIn } from './bound-value.js'
import type { Observation, ObservedCallback, ObservedExchange } from './observation.js'
import type { RecordOptions } from './record-scenarios.js'
import { bearerClaims, toRecordedRequest, type BearerClaims } from './recorded-request.js'
import { isSuccess, oneLine, stringMember } from './recording-values.js'
import { DEFAULT_REDACTION, PhonePseudonyms, redactObservations } from './redact-observations.js'

/**
 * The recorder's first pass: observations in arrival order, redacted, each request read back
 * into its operation's parameters and assigned to its call; and the ids the provider made up,
 * which tie a call's requests to the ones they depend on.
 */

/** Operations that place a call; their answer carries the call's id. */
export const CALL_CREATING = new Set(['createSession', 'startCall'])
/** Parameters and answer members that carry a call's id, on every face. */
export const CALL_ID_NAMES = ['mediaSessionId', 'callId', 'sessionId'] as const
/** Answer members whose values are ids the provider made up, which later requests refer to. */
const ID_MEMBER = /(^id$|Id$|ID$|_id$)/
export interface Prepared {
  readonly index: number
  readonly exchange: ObservedExchange
  readonly operation: CompiledOperation
  readonly params: ReadonlyMap<string, string | readonly string[]>
  readonly claims: BearerClaims | undefined
  /** The token as sent, kept only when the recording does not redact it. */
  readonly token: string | undefined
  readonly callKey: string | undefined
}

export interface Producer {
  readonly index: number
  readonly path: readonly (string | number)[]
}

/** An id in an answer that a later request sent back. */
export type Producers = ReadonlyMap<string, Producer>

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

export function prepare(
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
export function sentStrings(prepared: Prepared): string[] {
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
export function findProducers(exchanges: readonly Prepared[]): Producers {
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
export function withDependencies(
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

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * UUIDs the client made up for ids (a device's `deviceId`), each replaced by `${uuid.<member>}`,
 * a fresh UUID per replay: a provider keeps what they name (a device's registration), so a
 * second replay with the same id would be refused (409 ALREADY_EXISTS) where the first passed.
 */
export function freshIds(all: readonly Prepared[], producers: Producers): Map<string, string> {
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
