import type { CompiledOperation } from '../contract/index.js'
import type { Observation, ObservedCallback } from './observation.js'
import { networkChanges } from './observed-lifecycle.js'
import {
  CALL_CREATING,
  findProducers,
  freshIds,
  prepare,
  sentStrings,
  withDependencies,
  type Prepared,
  type Producer,
  type Producers,
} from './prepare-observations.js'
import { faultFor, stepName, toStep } from './recorded-step.js'
import { placeOnReplayGrid } from './recording-timeline.js'
import { expressionFor, formatMs, literal, oneLine, stringMember } from './recording-values.js'
import type { Redaction } from './redact-observations.js'

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
type DocumentPath = readonly (string | number)[]

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

const DEFAULT_ROUND_TO_MS = 100

const MAX_FAULTS = 100
const MAX_STEPS = 500
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
