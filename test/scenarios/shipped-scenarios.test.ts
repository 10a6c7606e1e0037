import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Response } from 'supertest'
import { expect, test } from 'vitest'
import { parse } from 'yaml'
import { DEFAULT_LIFECYCLE } from '../../src/core/index.js'
import { expectErrorInfo } from '../support/expect-error-info.js'
import { ALICE, NEW_SESSION, setup, type Setup } from './setup.js'

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url))

/** Every scenario id the shipped files define: the file stem, or the keys under `scenarios`. */
function shippedScenarioIds(): string[] {
  const files = readdirSync(SCENARIOS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(ya?ml|json)$/.test(f))
  return files.flatMap((file) => {
    const data = parse(readFileSync(path.join(SCENARIOS_DIR, file), 'utf8')) as { scenarios?: Record<string, unknown> }
    return data.scenarios ? Object.keys(data.scenarios) : [path.basename(file, path.extname(file))]
  })
}

type Checkpoint = readonly [atMs: number, status: string]

/** Advances the clock to each checkpoint (ms after creation) and reads the session there. */
async function expectStatuses(t: Setup, id: string, checkpoints: readonly Checkpoint[]): Promise<void> {
  let now = 0
  for (const [at, status] of checkpoints) {
    t.advance(at - now)
    now = at
    const read = await t.getSession(id)
    expect(read.status).toBe(200)
    expect(read.headers['content-type']).toBe('application/json')
    expect(read.body.status, `status ${at}ms after creation`).toBe(status)
  }
}

/** A lifecycle scenario: selected by its header (and by its magic number, if it has one). */
function lifecycleRow(scenario: string, checkpoints: readonly Checkpoint[], end?: { by: string; reason: string }, magicNumber?: string) {
  return async (t: Setup): Promise<void> => {
    const byHeader = await t.placeCall(scenario)
    await expectStatuses(t, byHeader, checkpoints)
    const call = await t.adminCall(byHeader)
    expect(call.scenarioId).toBe(scenario)
    if (end) expect(call).toMatchObject({ endedBy: end.by, endedReason: end.reason })
    if (magicNumber === undefined) return
    const byNumber = await t.placeCall(undefined, { ...NEW_SESSION, receiverAddress: magicNumber })
    await expectStatuses(t, byNumber, checkpoints)
    expect((await t.adminCall(byNumber)).scenarioId).toBe(scenario)
    const created = (await t.journal()).entries.filter((e) => e.operationId === 'createSession')
    expect(created.at(-1)).toMatchObject({ status: 201, scenarioId: scenario })
  }
}

type Send = (t: Setup, headers: Record<string, string>, liveCall: string) => PromiseLike<Response>

/** The journal entry of the last request to the call handling face. */
async function lastCallHandlingEntry(t: Setup): Promise<Record<string, unknown> | undefined> {
  return (await t.journal()).entries.filter((entry) => entry.face === 'camara-call-handling').at(-1)
}

/** An error scenario: the request answers the error and changes nothing in the network. */
function errorRow(scenario: string, status: number, code: string, send: Send, message: RegExp) {
  return async (t: Setup): Promise<void> => {
    const liveCall = await t.placeCall()
    const callsBefore = (await t.http.get('/_callsim/calls')).body
    const response = await send(t, t.withScenario(scenario), liveCall)
    expectErrorInfo(response, status, code, message)
    expect(response.headers['x-correlator']).toBe('scenario-test')
    expect((await t.http.get('/_callsim/calls')).body).toEqual(callsBefore)
    expect(await lastCallHandlingEntry(t)).toMatchObject({ status, scenarioId: scenario, fault: `${scenario} faults[0]: respond ${status} ${code}`, responseViolations: [] })
  }
}

const create: Send = (t, headers) => t.createSession(NEW_SESSION, headers)
const readLiveCall: Send = (t, headers, liveCall) => t.getSession(liveCall, headers)
const endLiveCall: Send = (t, headers, liveCall) => t.deleteSession(liveCall, headers)

const EXPECTATIONS: Record<string, (t: Setup) => Promise<void>> = {
  default: async (t) => {
    await lifecycleRow('default', [[0, 'Initial'], [199, 'Initial'], [200, 'InProgress'], [1000, 'Ringing'], [3999, 'Ringing'], [4000, 'Connected']])(t)
    // Without a header, a match or an activation, default governs too.
    const id = await t.placeCall()
    expect((await t.adminCall(id)).scenarioId).toBe('default')
  },
  'busy-callee': lifecycleRow('busy-callee', [[200, 'InProgress'], [500, 'Busy']], { by: 'B', reason: '486' }, 'tel:+15550100486'),
  'no-answer': lifecycleRow('no-answer', [[1000, 'Ringing'], [30_999, 'Ringing'], [31_000, 'NoAnswer']], { by: 'S', reason: '480' }, 'tel:+15550100480'),
  'not-reachable': lifecycleRow('not-reachable', [[999, 'Initial'], [1000, 'NotReachable']], { by: 'S', reason: '404' }, 'tel:+15550100404'),
  declined: lifecycleRow('declined', [[1000, 'Ringing'], [2999, 'Ringing'], [3000, 'Declined']], { by: 'B', reason: '603' }, 'tel:+15550100603'),
  failed: lifecycleRow('failed', [[200, 'InProgress'], [700, 'Failed']], { by: 'S', reason: '500' }, 'tel:+15550100500'),
  'remote-hang-up': lifecycleRow('remote-hang-up', [[4000, 'Connected'], [13_999, 'Connected'], [14_000, 'Terminated']], { by: 'B', reason: 'BYE' }),
  'hold-resume': lifecycleRow('hold-resume', [[4000, 'Connected'], [9000, 'Hold'], [14_000, 'Resume'], [60_000, 'Resume']]),
  'renegotiate-media': async (t) => {
    const id = await t.placeCall('renegotiate-media')
    t.advance(4000)
    const answered = await t.getSession(id)
    expect(answered.body.status).toBe('Connected')
    t.advance(5000)
    const renegotiated = await t.getSession(id)
    expect(renegotiated.body.status).toBe('Connected')
    expect(renegotiated.body.answer.sdp).toMatch(/^v=0/)
    expect(renegotiated.body.answer.sdp).not.toBe(answered.body.answer.sdp)
    const causes = ((await t.adminCall(id)).timeline as { cause: string }[]).map((entry) => entry.cause)
    expect(causes).toContain('remote party re-negotiated media')
  },
  waiting: lifecycleRow('waiting', [[200, 'InProgress'], [500, 'Waiting'], [8499, 'Waiting'], [8500, 'Connected']]),
  proceeding: lifecycleRow('proceeding', [[200, 'InProgress'], [500, 'Proceeding'], [2500, 'Ringing'], [5500, 'Connected']]),
  'call-waiting': async (t) => {
    const id = await t.placeCall('call-waiting')
    t.advance(9000)
    const calls = (await t.http.get('/_callsim/calls')).body as { calls: { id: string; side: string }[] }
    const incoming = calls.calls.find((call) => call.side === 'terminating')
    expect(incoming).toBeDefined()
    const offered = await t.getSession(incoming?.id ?? '')
    expect(offered.status).toBe(200)
    expect(offered.body).toMatchObject({ status: 'Initial', originatorAddress: 'tel:+15550100999', receiverAddress: ALICE })
    expect(offered.body.offer.sdp).toMatch(/^v=0/)
    t.advance(20_000)
    expect((await t.getSession(incoming?.id ?? '')).body.status).toBe('SessionCancelled')
    expect((await t.adminCall(incoming?.id ?? '')).endedBy).toBe('A')
    expect((await t.getSession(id)).body.status).toBe('Connected')
  },
  'invalid-argument': errorRow('invalid-argument', 400, 'INVALID_ARGUMENT', create, /^Client specified an invalid argument/),
  'out-of-range': errorRow('out-of-range', 400, 'OUT_OF_RANGE', create, /^Client specified an invalid range\.$/),
  unauthenticated: async (t) => {
    await errorRow('unauthenticated', 401, 'UNAUTHENTICATED', create, /expired credentials/)(t)
    await errorRow('unauthenticated', 401, 'UNAUTHENTICATED', readLiveCall, /A new authentication is required\.$/)(t)
  },
  'permission-denied': async (t) => {
    await errorRow('permission-denied', 403, 'PERMISSION_DENIED', create, /sufficient permissions/)(t)
    await errorRow('permission-denied', 403, 'PERMISSION_DENIED', endLiveCall, /sufficient permissions/)(t)
  },
  'invalid-token-context': errorRow('invalid-token-context', 403, 'INVALID_TOKEN_CONTEXT', create, /^originator info is not consistent with access token\.$/),
  'not-found': async (t) => {
    await errorRow('not-found', 404, 'NOT_FOUND', readLiveCall, /^The specified resource is not found\.$/)(t)
    // The session itself is untouched: without the header it reads fine.
    const live = (await t.http.get('/_callsim/calls')).body.calls[0].id as string
    expect((await t.getSession(live)).status).toBe(200)
  },
  'identifier-not-found': async (t) => {
    await errorRow('identifier-not-found', 404, 'IDENTIFIER_NOT_FOUND', endLiveCall, /^Device identifier not found\.$/)(t)
    // The DELETE did not end the call.
    const live = (await t.http.get('/_callsim/calls')).body.calls[0].id as string
    expect((await t.getSession(live)).body.status).toBe('Initial')
  },
  'calltype-emergency-not-supported': async (t) => {
    const emergency: Send = (t2, headers) => t2.createSession({ ...NEW_SESSION, callType: 'EMERGENCY' }, headers)
    await errorRow('calltype-emergency-not-supported', 501, 'CALLTYPE_EMERGENCY_NOT_SUPPORTED', emergency, /not supported/)(t)
    const regular = await t.createSession({ ...NEW_SESSION, callType: 'REGULAR' }, t.withScenario('calltype-emergency-not-supported'))
    expect(regular.status).toBe(201)
  },
  'slow-network': async (t) => {
    const id = await t.placeCall()
    const held = t.getSession(id, t.withScenario('slow-network'))
    const response = await t.released(held, 3000)
    expect(response.status).toBe(200)
    expect(response.body.mediaSessionId).toBe(id)
    const entry = await lastCallHandlingEntry(t)
    expect(entry).toMatchObject({ operationId: 'getSessionDetailsById', status: 200, scenarioId: 'slow-network' })
    const delay = Number(/delay (\d+)ms$/.exec(String(entry?.fault))?.[1])
    expect(delay).toBeGreaterThanOrEqual(1000)
    expect(delay).toBeLessThanOrEqual(3000)
  },
  'flaky-network': async (t) => {
    const outcomes = await flakyOutcomes(t, 40)
    expect(new Set(outcomes)).toEqual(new Set(['ok', 'dropped', '503 UNAVAILABLE', 'malformed']))
    // Intentional faults are journaled as such and never counted as callsim's own violations.
    expect((await t.http.get('/_callsim/violations')).body.total).toBe(0)
    const faults = (await t.journal()).entries.filter((e) => e.fault !== undefined).map((e) => String(e.fault))
    expect(faults).toContainEqual(expect.stringMatching(/^flaky-network faults\[2\] \(truncated body\): malformed-body 200, intentional$/))
    expect(faults).toContainEqual(expect.stringMatching(/^flaky-network faults\[1\] \(gateway unavailable\): respond 503 UNAVAILABLE, undeclared on purpose$/))
  },
}

/** Reads a live session `count` times under flaky-network and names what each read got. */
async function flakyOutcomes(t: Setup, count: number): Promise<string[]> {
  const id = await t.placeCall()
  t.advance(5000)
  const outcomes: string[] = []
  for (let i = 0; i < count; i += 1) {
    try {
      const response = await t.released(t.getSession(id, t.withScenario('flaky-network')).buffer(true).parse((res, done) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => (text += chunk))
        res.on('end', () => done(null, text))
      }), 800)
      const text = response.body as string
      if (response.status === 200) {
        outcomes.push(isJson(text) ? 'ok' : 'malformed')
      } else {
        const body = JSON.parse(text) as { code: string }
        outcomes.push(`${response.status} ${body.code}`)
      }
    } catch (error) {
      expect(String(error)).toMatch(/socket hang up|ECONNRESET/)
      outcomes.push('dropped')
    }
  }
  return outcomes
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const SHIPPED = shippedScenarioIds()

test('every shipped scenario has a row of expectations, and every row a scenario', () => {
  expect(SHIPPED.filter((id) => !(id in EXPECTATIONS))).toEqual([])
  expect(Object.keys(EXPECTATIONS).filter((id) => !SHIPPED.includes(id))).toEqual([])
})

test('shipped scenario ids are unique across folders', () => {
  expect(SHIPPED.length).toBe(new Set(SHIPPED).size)
})

test('the shipped library covers every terminal status and every declared CAMARA error code', async () => {
  const { simulator } = await setup()
  const statuses = new Set(simulator.scenarios.list().flatMap((s) => s.lifecycle.steps.map((step) => (step.action.kind === 'status' ? step.action.status : step.action.kind))))
  for (const status of ['Busy', 'NoAnswer', 'NotReachable', 'Declined', 'Failed']) expect(statuses).toContain(status)
  const codes = new Set(simulator.scenarios.list().flatMap((s) => s.faults.flatMap((rule) => (rule.response?.kind === 'respond' ? [rule.response.code] : []))))
  for (const code of ['INVALID_ARGUMENT', 'OUT_OF_RANGE', 'UNAUTHENTICATED', 'PERMISSION_DENIED', 'INVALID_TOKEN_CONTEXT', 'NOT_FOUND', 'IDENTIFIER_NOT_FOUND', 'CALLTYPE_EMERGENCY_NOT_SUPPORTED']) {
    expect(codes).toContain(code)
  }
})

test('scenarios/default.yaml scripts the same lifecycle as the built-in default', async () => {
  const { simulator } = await setup()
  expect(simulator.scenarios.get('default')?.origin.source).toMatch(/scenarios[\\/]default\.yaml$/)
  expect(simulator.scenarios.get('default')?.lifecycle).toEqual(DEFAULT_LIFECYCLE)
})

test.each(SHIPPED)('the shipped scenario %s does what it promises over HTTP', async (id) => {
  const row = EXPECTATIONS[id]
  if (!row) throw new Error(`scenarios: ${id} has no expectation row in this test; add one`)
  const t = await setup()
  try {
    await row(t)
  } finally {
    t.simulator.dispose()
  }
})

test('flaky-network repeats the same faults under the same seed', async () => {
  const first = await setup({ seed: 42 })
  const second = await setup({ seed: 42 })
  const a = await flakyOutcomes(first, 30)
  expect(await flakyOutcomes(second, 30)).toEqual(a)
  expect(a.filter((outcome) => outcome !== 'ok').length).toBeGreaterThan(0)
})
