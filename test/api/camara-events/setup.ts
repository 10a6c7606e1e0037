import { readFileSync } from 'node:fs'
import request from 'supertest'
import { afterEach, expect } from 'vitest'
import type { Simulator, SimulatorOptions } from '../../../src/app/index.js'
import {
  callbackKey,
  compileCallbacks,
  loadSpec,
  validateCallbackRequest,
  validateResponse,
} from '../../../src/contract/index.js'
import { HTTPS_OR_LOOPBACK_HTTP } from '../../../src/apis/index.js'
import { recordResponses, type RecordedExchange } from '../../support/record-responses.js'
import { registerDevice } from '../../support/register-device.js'
import { startSink, type ReceivedRequest, type SinkBehaviour } from '../../support/start-sink.js'
import { ALICE, BOB, advance, startSimulator } from '../../support/start-simulator.js'

export { ALICE, BOB }
export const BASE = '/webrtc-events/vwip'
export const CALLS = '/webrtc-call-handling/vwip'
export const DEVICE = '7d444840-9dc0-11d1-b245-5ffdce74fad2'
export const TYPES = {
  status: 'org.camaraproject.webrtc-events.v0.session-status',
  invitation: 'org.camaraproject.webrtc-events.v0.session-invitation',
  registrationEnds: 'org.camaraproject.webrtc-events.v0.registration-ends',
  ended: 'org.camaraproject.webrtc-events.v0.subscription-ended',
} as const
export const SINK_TOKEN = 'sink-token-for-alice'
/** The virtual clock starts at 2025-01-01T00:00:00Z. */
export const CREDENTIAL = {
  credentialType: 'ACCESSTOKEN',
  accessToken: SINK_TOKEN,
  accessTokenExpiresUtc: '2025-01-02T00:00:00Z',
  accessTokenType: 'bearer',
}
export const OFFER = {
  sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n',
}

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** The unchanged official CAMARA WebRTC Events definition (Apache-2.0). */
const official = (() => {
  const text = readFileSync(
    new URL('../../contract/fixtures/webrtc-events.yaml', import.meta.url),
    'utf8',
  )
  const loaded = loadSpec(text, 'test/contract/fixtures/webrtc-events.yaml')
  if (!loaded.ok) throw new Error('the reference events spec does not load')
  return loaded.value
})()

const reference = (() => {
  const callbacks = compileCallbacks(official.spec)
  const callback = callbacks.ok
    ? callbacks.value.get(callbackKey('notifications', '{$request.body#/sink}', 'post'))
    : undefined
  if (!callback) throw new Error('the reference events spec declares no notifications callback')
  return callback
})()

// Every response of the Events face in a test, checked against the official file afterwards.
const recorded: RecordedExchange[] = []
/** Statuses the HTTP shell answers outside every operation's contract (decision 002). */
const PROTOCOL_STATUSES = new Set([405, 413, 415])
const LOOPBACK_HTTP = new RegExp(HTTPS_OR_LOOPBACK_HTTP.replace('https://.+|', ''))

/**
 * The responses conform to the official file too. The one deviation allowed is the documented
 * sandbox relaxation: a Subscription that echoes a loopback http sink (--allow-http-sinks).
 */
afterEach(() => {
  const base = official.spec.basePath
  const problems: string[] = []
  for (const exchange of recorded.splice(0)) {
    const path = exchange.url.split('?', 1)[0] ?? ''
    if (!path.startsWith(`${base}/`) || PROTOCOL_STATUSES.has(exchange.status)) continue
    const match = official.index.match(exchange.method, path.slice(base.length))
    if (match.kind !== 'matched') continue
    const body = exchange.body === '' ? undefined : (JSON.parse(exchange.body) as unknown)
    const contentType = exchange.headers['content-type']
    const violations = validateResponse(match.target, {
      status: exchange.status,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      body,
      headers: exchange.headers,
    })
    const sinks = (Array.isArray(body) ? body : [body]).map(
      (item) => (item as { sink?: unknown } | undefined)?.sink,
    )
    const onlyLoopbackHttp = sinks.every(
      (sink) => typeof sink !== 'string' || sink.startsWith('https://') || LOOPBACK_HTTP.test(sink),
    )
    for (const violation of violations) {
      if (
        onlyLoopbackHttp &&
        violation.keyword === 'pattern' &&
        /^body(\.\[\d+\])?\.sink$/.test(violation.path)
      )
        continue
      problems.push(
        `${exchange.method} ${path} → ${exchange.status}: ${violation.path}: ${violation.message}`,
      )
    }
  }
  expect(problems).toEqual([])
})

/**
 * Checks what a sink received as the official CAMARA file describes the callback: a POST with
 * Content-Type application/cloudevents+json whose body is a valid CloudEvent of its type.
 */
export function expectValidEvents(received: readonly ReceivedRequest[]): void {
  for (const delivery of received) {
    expect(delivery.method).toBe('POST')
    expect(delivery.headers['content-type']).toBe('application/cloudevents+json')
    const violations = validateCallbackRequest(reference, {
      contentType: delivery.headers['content-type'],
      body: delivery.body,
    })
    expect(violations.map((v) => v.message)).toEqual([])
  }
}

/** The bodies a sink received, as CloudEvents. */
export function eventsOf(
  received: readonly ReceivedRequest[],
): { type: string; data: Record<string, unknown>; [key: string]: unknown }[] {
  return received.map(
    (delivery) => delivery.body as { type: string; data: Record<string, unknown> },
  )
}

/**
 * A strict, seeded simulator on the virtual clock that accepts loopback http sinks, a real
 * sink on 127.0.0.1, and Alice's registered device: what an integrator's test setup looks like.
 */
export async function setup(overrides: Partial<SimulatorOptions> = {}, behaviour?: SinkBehaviour) {
  const simulator: Simulator = startSimulator({ allowHttpSinks: true, ...overrides })
  cleanups.push(() => simulator.dispose())
  const sink = await startSink(behaviour)
  cleanups.push(() => sink.close())
  const http = request(recordResponses(simulator.app, recorded).app)
  const dayToken = async (sub: string) =>
    (await simulator.control.issueToken({ sub, expiresInMs: 24 * 3_600_000 })).token
  const tokens = { alice: await dayToken(ALICE), bob: await dayToken(BOB) }
  const registrationId = await registerDevice(simulator, ALICE, DEVICE)
  const auth = (token: string) => ({
    authorization: `Bearer ${token}`,
    'x-correlator': 'events-test-1',
  })
  const subscription = (type: string, config: object = {}, extra: object = {}) => ({
    protocol: 'HTTP',
    sink: sink.url,
    sinkCredential: CREDENTIAL,
    types: [type],
    config: { subscriptionDetail: { deviceId: DEVICE }, ...config },
    ...extra,
  })

  return {
    simulator,
    sink,
    http,
    tokens,
    registrationId,
    auth,
    subscription,
    /** POST /subscriptions as Alice; returns the response. */
    createSubscription: (body: object, token = tokens.alice) =>
      http.post(`${BASE}/subscriptions`).set(auth(token)).send(body),
    /** Subscribes Alice's device to one type and returns the subscription id. */
    subscribe: async (type: string, config: object = {}): Promise<string> => {
      const created = await http
        .post(`${BASE}/subscriptions`)
        .set(auth(tokens.alice))
        .send(subscription(type, config))
      if (created.status !== 201) throw new Error(`subscribe: ${created.status} ${created.text}`)
      return (created.body as { id: string }).id
    },
    /** Alice calls Bob through CAMARA call handling; returns the media session id. */
    placeCall: async (): Promise<string> => {
      const created = await http
        .post(`${CALLS}/sessions`)
        .set(auth(tokens.alice))
        .set('registrationId', registrationId)
        .send({ originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER })
      if (created.status !== 201) throw new Error(`placeCall: ${created.status} ${created.text}`)
      return (created.body as { mediaSessionId: string }).mediaSessionId
    },
    /** Bob calls Alice through the control API. */
    startIncomingCall: (body: object = {}) =>
      http
        .post('/_callsim/calls/incoming')
        .send({ from: BOB, to: ALICE, fromName: 'Bob', ...body }),
    deliveries: async (query = '') =>
      (await http.get(`/_callsim/deliveries${query}`)).body as {
        total: number
        deliveries: Record<string, unknown>[]
      },
    advance: (ms: number) => advance(simulator, ms),
  }
}

/** Registers a cleanup for something a test starts beside setup(). */
export function onCleanup(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup)
}
