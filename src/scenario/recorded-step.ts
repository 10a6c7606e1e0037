import { toPointer, validateResponse } from '../contract/index.js'
import { MAX_RECORDED_STRING, boundValue } from './bound-value.js'
import type { Prepared } from './prepare-observations.js'
import {
  isObject,
  isSuccess,
  literal,
  mapValues,
  member,
  oneLine,
  stringMember,
} from './recording-values.js'

/** The client's side of a recorded call: a step per request, and faults for its error answers. */

const RESERVED_STEP_NAMES = new Set(['env', 'sink', 'scenario', 'uuid'])
/** What the answer must show in a replay: the status, and the members callsim can reproduce. */
function expectationOf(prepared: Prepared): {
  expect: Record<string, unknown>
  note?: string
} {
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
export function faultFor(
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

export function stepName(operationId: string, taken: Set<string>): string {
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

/** The client step that replays one request, and what to note about it. */
export function toStep(
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
