/* eslint-disable no-template-curly-in-string -- recorded steps write ${…} expressions in plain strings */
import { expect, test } from 'vitest'
import {
  formatScenarioProblem,
  recordScenarios,
  writeScenario,
  type Observation,
  type ObservedExchange,
} from '../../../src/scenario/index.js'
import { createTestScenarioLoader } from '../../support/scenario-loader.js'
import { servedOperations } from '../../support/observe-exchanges.js'
import { startSimulator } from '../../support/start-simulator.js'

const simulator = startSimulator()
const operations = servedOperations(simulator)
simulator.dispose()
const loader = createTestScenarioLoader()
const SESSIONS = '/webrtc-call-handling/vwip/sessions'

function exchange(overrides: Partial<ObservedExchange>): ObservedExchange {
  return {
    kind: 'exchange',
    at: 1_000_000,
    elapsedMs: 3,
    face: 'camara-call-handling',
    operationId: 'createSession',
    method: 'POST',
    path: SESSIONS,
    requestHeaders: { 'content-type': 'application/json' },
    requestBody: {
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      offer: { sdp: 'v=0' },
    },
    status: 201,
    responseHeaders: { 'content-type': 'application/json' },
    responseBody: {
      mediaSessionId: 'm-1',
      originatorAddress: 'tel:+15550001',
      receiverAddress: 'tel:+15550002',
      status: 'Initial',
      offer: { sdp: 'v=0' },
    },
    ...overrides,
  }
}

function poll(at: number, status: string): ObservedExchange {
  return exchange({
    at,
    operationId: 'getSessionDetailsById',
    method: 'GET',
    path: `${SESSIONS}/m-1`,
    requestBody: undefined,
    status: 200,
    responseBody: { ...(exchange({}).responseBody as object), status },
  })
}

/** Records, writes and loads back: the loader must accept exactly what was recorded. */
function roundTrip(observations: readonly Observation[]) {
  const recording = recordScenarios(observations, { idPrefix: 'rec', operations })
  const files = recording.documents.map((document) => ({
    text: writeScenario(document),
    source: `${document.id}.yaml`,
    stem: document.id,
  }))
  const loaded = loader.load(files)
  if (!loaded.ok) throw new Error(loaded.error.map(formatScenarioProblem).join('\n'))
  loaded.value.forEach((scenario, index) =>
    expect(scenario.definition).toEqual(recording.documents[index]?.content),
  )
  return { recording, files }
}

test('round-trips odd keys, YAML-special strings and expression-like text unchanged', () => {
  const hostile = {
    originatorAddress: 'tel:+15550001',
    receiverAddress: 'tel:+15550002',
    offer: { sdp: 'v=0\r\n' },
    __proto__: { polluted: true },
    constructor: 'yes',
    'key: with colon': [
      'no',
      'null',
      '~',
      '0x1F',
      '1e3',
      '- a',
      '&anchor',
      '*alias',
      '!tag',
      '%YAML',
      '@at',
      '`tick`',
    ],
    '#not a comment': '# neither',
    multi: 'line one\nline two\u2028\u0000\u001b[31m',
    template: '${not.an.expression} and $${kept}',
    empty: '',
    quotes: `"'"`,
    lone: '\ud800',
  }
  const body = JSON.parse(JSON.stringify(hostile).replace('"polluted"', '"polluted"')) as object
  // JSON.parse keeps "__proto__" as an own member, as a proxy parsing a request body would.
  const withProto = JSON.parse(
    '{"__proto__":{"polluted":true},' + JSON.stringify(body).slice(1),
  ) as object
  const { recording } = roundTrip([exchange({ requestBody: withProto })])
  const [create] = recording.documents[0]?.content.steps as { body: Record<string, unknown> }[]
  expect(Object.hasOwn(create!.body, '__proto__')).toBe(true)
  expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  // The runner reads `$${` as a literal `${`: recorded text is escaped, so it replays as sent.
  expect(create!.body.template).toBe('$${not.an.expression} and $$${kept}')
  expect(create!.body['key: with colon']).toEqual(hostile['key: with colon'])
  expect(create!.body.multi).toBe(hostile.multi)
})

test('cuts huge strings and deep nesting to what the loader reads, and notes the cut', () => {
  let deep: unknown = 'bottom'
  for (let i = 0; i < 200; i += 1) deep = { deeper: deep }
  const huge = 'x'.repeat(3 * 1024 * 1024)
  const { files, recording } = roundTrip([
    exchange({
      requestBody: { ...(exchange({}).requestBody as object), offer: { sdp: huge }, deep },
    }),
  ])
  expect(files[0]!.text.length).toBeLessThan(100_000)
  expect(files[0]!.text).toMatch(
    /# .*cut to the recording's limits: body\.offer\.sdp \(a string of 3145728 characters\)/,
  )
  expect(recording.documents).toHaveLength(1)
})

test('notes never break out of their comment, whatever the provider answered', () => {
  const { files } = roundTrip([
    exchange({
      status: 403,
      responseBody: {
        status: 403,
        code: 'INVALID_TOKEN_CONTEXT\nsteps: []\n#',
        message: 'm\r\nlifecycle: evil',
      },
    }),
  ])
  expect(files[0]!.text).not.toMatch(/^steps: \[\]$/m)
  expect(files[0]!.text).not.toMatch(/^lifecycle: evil/m)
})

test('separates two polls that round to the same time when the status changed between them', () => {
  const { recording } = roundTrip([
    exchange({}),
    poll(1_001_020, 'Ringing'),
    poll(1_001_040, 'Connected'),
  ])
  const content = recording.documents[0]?.content
  expect(content?.lifecycle).toEqual([
    { at: '950ms', status: 'Ringing' },
    { at: '1050ms', status: 'Connected' },
  ])
  expect(content?.steps).toEqual([
    expect.objectContaining({ request: 'createSession' }),
    { wait: '1000ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'Ringing' } } }),
    { wait: '100ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'Connected' } } }),
  ])
})

test('times a change by the event that reported it, within the polls that bracket it', () => {
  const { recording } = roundTrip([
    exchange({}),
    {
      kind: 'callback',
      at: 1_000_730,
      sink: 'https://app.example/events',
      event: {
        type: 'org.camaraproject.webrtc-events.v0.session-status',
        data: { mediaSessionId: 'm-1', status: 'Ringing' },
      },
    },
    poll(1_002_000, 'Ringing'),
  ])
  expect(recording.documents[0]?.content.lifecycle).toEqual([{ at: '700ms', status: 'Ringing' }])
})

test('leaves out requests on calls it did not see placed, and says why', () => {
  const recording = recordScenarios([poll(1_000_000, 'Connected')], { idPrefix: 'rec', operations })
  expect(recording.documents).toEqual([])
  expect(recording.skipped).toEqual([
    expect.stringMatching(/^1 request\(s\) on call m-1, which the recording did not see placed/),
  ])
})

test('redacts sink credentials by default, keeping the credential valid for its schema', () => {
  const credential = {
    credentialType: 'ACCESSTOKEN',
    accessToken: 's3cr3t-token',
    accessTokenExpiresUtc: '2030-01-01T00:00:00Z',
    accessTokenType: 'bearer',
  }
  const { files } = roundTrip([
    exchange({
      requestBody: {
        ...(exchange({}).requestBody as object),
        sink: 'https://app.example/e',
        sinkCredential: credential,
      },
      requestHeaders: { authorization: 'Bearer not-a-jwt-s3cr3t' },
    }),
  ])
  expect(files[0]!.text).not.toContain('s3cr3t')
  expect(files[0]!.text).toContain('accessToken: REDACTED')
  expect(files[0]!.text).toContain('accessTokenExpiresUtc: 2030-01-01T00:00:00Z')
})

test('a status seen in the same millisecond as the client hangs up is still the far end', () => {
  const { recording } = roundTrip([
    exchange({}),
    poll(1_004_000, 'Connected'),
    exchange({
      at: 1_004_000,
      operationId: 'deleteSessionById',
      method: 'DELETE',
      path: `${SESSIONS}/m-1`,
      requestBody: undefined,
      status: 204,
      responseBody: undefined,
    }),
    poll(1_004_000, 'Terminated'),
  ])
  // Connected is the far end's answer; Terminated follows the client's DELETE, so it is not.
  expect(recording.documents[0]?.content.lifecycle).toEqual([{ at: '3950ms', status: 'Connected' }])
})

test('polls that saw the same answer replay as one step, and the waits keep the timing', () => {
  const { recording, files } = roundTrip([
    exchange({}),
    poll(1_000_300, 'InProgress'),
    poll(1_000_400, 'InProgress'),
    poll(1_000_500, 'InProgress'),
    poll(1_001_100, 'Ringing'),
  ])
  expect(recording.documents[0]?.content.steps).toEqual([
    expect.objectContaining({ request: 'createSession' }),
    { wait: '300ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'InProgress' } } }),
    { wait: '800ms' },
    expect.objectContaining({ expect: { status: 200, body: { status: 'Ringing' } } }),
  ])
  expect(files[0]!.text).toMatch(/# GET answered 200 .*; seen 3 times\n/)
  expect(recording.documents[0]?.content.lifecycle).toEqual([
    { at: '250ms', status: 'InProgress' },
    { at: '1050ms', status: 'Ringing' },
  ])
})
