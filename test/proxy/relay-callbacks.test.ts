import { afterEach, expect, test } from 'vitest'
import type { ObservedCallback } from '../../src/scenario/index.js'
import { startSink, type Sink } from '../support/start-sink.js'
import { ALICE, BOB, tokenFor } from '../support/start-simulator.js'
import {
  freePort,
  send,
  startProxiedProvider,
  type ProxiedProvider,
} from '../support/start-proxy.js'

// --relay-callbacks: the proxy puts itself in place of the app's event sink, checks each event
// the provider posts against the callback schema, and passes it on to the app's own sink.

const EVENTS = '/webrtc-events/vwip'
const INVITATION = 'org.camaraproject.webrtc-events.v0.session-invitation'
const SINK_TOKEN = 'sink-token-for-alice'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(relay: boolean, proxyOptions: { strict?: boolean } = {}) {
  const sink: Sink = await startSink()
  cleanups.push(() => sink.close())
  const port = await freePort()
  const proxied: ProxiedProvider = await startProxiedProvider(
    // The provider accepts the relay's http://127.0.0.1 sink as the sandbox relaxation allows.
    { allowHttpSinks: true, clock: 'system' },
    {
      port,
      allowHttpSinks: true,
      relayCallbacks: relay ? `http://127.0.0.1:${port}` : undefined,
      ...proxyOptions,
    },
  )
  cleanups.push(() => proxied.close())
  const token = await tokenFor(proxied.provider, ALICE)
  const subscribe = () =>
    send(proxied.url, 'POST', `${EVENTS}/subscriptions`, {
      token,
      headers: { 'x-correlator': 'relay-test-1' },
      body: {
        protocol: 'HTTP',
        sink: sink.url,
        sinkCredential: {
          credentialType: 'ACCESSTOKEN',
          accessToken: SINK_TOKEN,
          accessTokenExpiresUtc: '2099-01-01T00:00:00Z',
          accessTokenType: 'bearer',
        },
        types: [INVITATION],
        config: { subscriptionDetail: { deviceId: '7d444840-9dc0-11d1-b245-5ffdce74fad2' } },
      },
    })
  /** The sink the provider stored for a subscription, read from the provider directly. */
  const providerSink = async (id: string) =>
    (
      await send(proxied.providerRunning.url, 'GET', `${EVENTS}/subscriptions/${id}`, {
        token,
      })
    ).body.sink as string
  return { ...proxied, sink, token, subscribe, providerSink }
}

test('relays the provider’s events to the app’s own sink, checked against the callback schema', async () => {
  const { url, sink, subscribe, providerSink, provider, observations, proxy } = await setup(true)
  const created = await subscribe()
  expect(created.status, created.text).toBe(201)
  // The app sees its own sink; the provider holds the relay's.
  expect(created.body.sink).toBe(sink.url)
  const relayUrl = await providerSink(created.body.id as string)
  expect(relayUrl).toMatch(new RegExp(`^${url}/_callsim-relay/[0-9a-f-]{36}$`))

  const offered = provider.control.startIncomingCall({ from: BOB, to: ALICE })
  expect(offered.ok).toBe(true)
  const [delivery] = await sink.waitFor(1)
  await proxy.settled()
  expect(delivery?.headers['content-type']).toBe('application/cloudevents+json')
  expect(delivery?.headers.authorization).toBe(`Bearer ${SINK_TOKEN}`)
  expect(delivery?.body).toMatchObject({ type: INVITATION, data: { originatorAddress: BOB } })

  const journal = (await send(url, 'GET', '/_callsim/journal')).body as {
    entries: { path: string; status: number; operationId?: string }[]
  }
  // CAMARA's callback repeats its subscription's operationId.
  expect(journal.entries.find((entry) => entry.path === new URL(relayUrl).pathname)).toMatchObject({
    status: 204,
    operationId: 'createNotificationChannelSubscription',
  })
  expect((await send(url, 'GET', '/_callsim/violations')).body).toMatchObject({ total: 0 })
  const callback = observations.find((o): o is ObservedCallback => o.kind === 'callback')
  expect(callback).toMatchObject({ kind: 'callback', sink: sink.url, event: delivery?.body })
})

test('passes sinks through untouched without --relay-callbacks', async () => {
  const { sink, subscribe, providerSink } = await setup(false)
  const created = await subscribe()
  expect(created.status).toBe(201)
  expect(await providerSink(created.body.id as string)).toBe(sink.url)
})

test('names the provider when an event it posts breaks the callback schema, and --strict keeps it back', async () => {
  const { url, sink, subscribe, providerSink } = await setup(true, { strict: true })
  const created = await subscribe()
  const relayUrl = await providerSink(created.body.id as string)
  const refused = await send(relayUrl, 'POST', '', {
    headers: { 'content-type': 'application/cloudevents+json' },
    body: { specversion: '1.0', type: INVITATION },
  })
  expect(refused.status).toBe(400)
  expect(refused.headers.get('x-callsim-violations')).toMatch(/client=0; provider=[1-9]/)
  const { violations } = (await send(url, 'GET', '/_callsim/violations')).body as {
    violations: { side: string; direction: string }[]
  }
  expect(violations.length).toBeGreaterThan(0)
  expect(violations.every((v) => v.side === 'provider' && v.direction === 'callback')).toBe(true)
  expect(sink.received).toHaveLength(0)
})

test('answers 404 for a relay address it never handed out', async () => {
  const { url } = await setup(true)
  const answer = await send(url, 'POST', '/_callsim-relay/00000000-0000-0000-0000-000000000000', {
    body: { specversion: '1.0' },
  })
  expect(answer.status).toBe(404)
  expect(answer.body).toMatchObject({ status: 404, code: 'NOT_FOUND' })
})
