import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'
import { fileURLToPath } from 'node:url'
import { HTTP, type CloudEvent as SdkCloudEvent } from 'cloudevents'
import request from 'supertest'
import { afterEach, expect, test } from 'vitest'
import type { RunningSimulator, Simulator } from '../../src/app/index.js'
import { DEFAULT_REGISTRATION_TTL_MS } from '../../src/core/index.js'
import { startSink, type Sink } from '../support/start-sink.js'
import { ALICE, BOB, advance, startSimulator } from '../support/start-simulator.js'

/**
 * The same client journey against every CAMARA release callsim serves unchanged: the official
 * r1.2 and r2.2 files (spec/releases/, copies of camaraproject/WebRTC) and the development state
 * (the built-in specs). The simulator runs --strict, so any response or callback that breaks the
 * served release's own schema fails the journey; /_callsim/violations must stay empty.
 */
interface Release {
  readonly name: string
  readonly specs: readonly string[]
  /** What WebrtcSubscriptionDetail names: r1.2 both, r2.2 the registration, wip the device. */
  readonly detail: (deviceId: string, registrationId: string) => Record<string, string>
  readonly subscriptionEnded: string
  /** The registration-ends event type; r1.2 has none. */
  readonly registrationEnds: string | undefined
}

const STATUS = 'org.camaraproject.webrtc-events.v0.session-status'
const INVITATION = 'org.camaraproject.webrtc-events.v0.session-invitation'
const REGISTRATION_ENDS = 'org.camaraproject.webrtc-events.v0.registration-ends'

const release = (file: string): string =>
  fileURLToPath(new URL(`../../spec/releases/${file}`, import.meta.url))

const RELEASES: readonly Release[] = [
  {
    name: 'r1.2',
    specs: [
      release('r1.2/webrtc-call-handling.yaml'),
      release('r1.2/webrtc-registration.yaml'),
      release('r1.2/webrtc-events-subscription.yaml'),
    ],
    detail: (deviceId, registrationId) => ({ deviceId, registrationId }),
    subscriptionEnded: 'org.camaraproject.webrtc-events.v0.subscription-ends',
    registrationEnds: undefined,
  },
  {
    name: 'r2.2',
    specs: [
      release('r2.2/webrtc-call-handling.yaml'),
      release('r2.2/webrtc-registration.yaml'),
      release('r2.2/webrtc-events.yaml'),
    ],
    detail: (_deviceId, registrationId) => ({ registrationId }),
    subscriptionEnded: 'org.camaraproject.webrtc-events.v0.subscription-ended',
    registrationEnds: REGISTRATION_ENDS,
  },
  {
    name: 'development state',
    specs: [],
    detail: (deviceId) => ({ deviceId }),
    subscriptionEnded: 'org.camaraproject.webrtc-events.v0.subscription-ended',
    registrationEnds: REGISTRATION_ENDS,
  },
]

const OFFER = {
  sdp: 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/SAVPF 102\r\n',
}

const running: { simulator: Simulator; server: RunningSimulator; sink: Sink }[] = []
afterEach(async () => {
  for (const { server, sink } of running.splice(0)) {
    await server.close()
    await sink.close()
  }
})

async function setup(served: Release) {
  const simulator = startSimulator({ specs: served.specs, allowHttpSinks: true })
  const server = await simulator.listen()
  const sink = await startSink()
  running.push({ simulator, server, sink })
  const base = (faceId: string): string => {
    const face = simulator.faces.find((f) => f.id === faceId)
    if (!face) throw new Error(`no ${faceId} face`)
    return face.basePath
  }
  const token = (await simulator.control.issueToken({ sub: ALICE, expiresInMs: 86_400_000 })).token
  const http = request(server.url)
  const auth = { authorization: `Bearer ${token}`, 'x-correlator': 'journey-1' }
  return {
    simulator,
    sink,
    http,
    auth,
    calls: base('camara-call-handling'),
    registrations: base('camara-registration'),
    events: base('camara-events'),
  }
}

/** Receives an event as an integrator's standard receiver does: the CNCF CloudEvents SDK. */
function throughSdk(headers: IncomingHttpHeaders, body: unknown): SdkCloudEvent<unknown> {
  const received = HTTP.toEvent({
    headers: headers as Record<string, string>,
    body: JSON.stringify(body),
  })
  const event = (Array.isArray(received) ? received[0] : received) as SdkCloudEvent<unknown>
  expect(event.validate()).toBe(true)
  return event
}

for (const served of RELEASES) {
  test(`plays the whole client journey on ${served.name} with zero violations, every event read by the CloudEvents SDK`, async () => {
    const { simulator, sink, http, auth, calls, registrations, events } = await setup(served)
    const deviceId = randomUUID()

    // Register: the success status the release declares (201 at wip, 200 in r1.2 and r2.2).
    const registered = await http.post(`${registrations}/sessions`).set(auth).send({ deviceId })
    expect([200, 201]).toContain(registered.status)
    const registrationId = registered.body.registrationId as string
    const refreshed = await http
      .put(`${registrations}/sessions/${registrationId}`)
      .set(auth)
      .send({})
    expect([200, 204]).toContain(refreshed.status)

    // Subscribe to session-status and session-invitation, with the detail the release asks for.
    const subscribe = (type: string, registration = registrationId) =>
      http
        .post(`${events}/subscriptions`)
        .set(auth)
        .send({
          protocol: 'HTTP',
          sink: sink.url,
          types: [type],
          config: { subscriptionDetail: served.detail(deviceId, registration) },
        })
    const statusSubscription = await subscribe(STATUS)
    expect(statusSubscription.status).toBe(201)
    expect(statusSubscription.body.config.subscriptionDetail).toMatchObject(
      served.detail(deviceId, registrationId),
    )
    const invitationSubscription = await subscribe(INVITATION)
    expect(invitationSubscription.status).toBe(201)
    const listed = await http.get(`${events}/subscriptions`).set(auth)
    expect(listed.status).toBe(200)
    expect(listed.body).toHaveLength(2)
    const one = await http
      .get(`${events}/subscriptions/${statusSubscription.body.id as string}`)
      .set(auth)
    expect(one.status).toBe(200)

    // An outgoing call through every status a client may set.
    const created = await http
      .post(`${calls}/sessions`)
      .set(auth)
      .set('registrationId', registrationId)
      .send({ originatorAddress: ALICE, receiverAddress: BOB, offer: OFFER })
    expect(created.status).toBe(201)
    const id = created.body.mediaSessionId as string
    advance(simulator, 5_000)
    expect((await http.get(`${calls}/sessions/${id}`).set(auth)).body.status).toBe('Connected')
    for (const status of ['Hold', 'Resume']) {
      const put = await http.put(`${calls}/sessions/${id}/status`).set(auth).send({ status })
      expect([200, 204]).toContain(put.status)
    }
    expect((await http.delete(`${calls}/sessions/${id}`).set(auth)).status).toBe(204)

    // An incoming call: invitation, then the client answers it.
    const incoming = simulator.control.startIncomingCall({ from: BOB, to: ALICE })
    if (!incoming.ok) throw new Error(JSON.stringify(incoming.error))
    const incomingId = incoming.value.call.id
    expect((await http.get(`${calls}/sessions/${incomingId}`).set(auth)).status).toBe(200)
    for (const [status, extra] of [
      ['InProgress', { answer: OFFER }],
      ['Ringing', {}],
      ['Connected', {}],
    ] as const) {
      const put = await http
        .put(`${calls}/sessions/${incomingId}/status`)
        .set(auth)
        .send({ status, ...extra })
      expect([200, 204]).toContain(put.status)
    }
    expect((await http.delete(`${calls}/sessions/${incomingId}`).set(auth)).status).toBe(204)

    // Errors, each in the release's own shape.
    expect((await http.get(`${calls}/sessions/NOPE`).set(auth)).status).toBe(404)
    expect((await http.get(`${calls}/sessions/`).set(auth)).status).toBe(400)
    expect(
      (
        await http
          .post(`${calls}/sessions`)
          .set(auth)
          .set('registrationId', registrationId)
          .send({})
      ).status,
    ).toBe(400)
    expect((await http.get(`${calls}/sessions/${id}`)).status).toBe(401)
    const ended = await http
      .put(`${calls}/sessions/${id}/status`)
      .set(auth)
      .send({ status: 'Hold' })
    expect([400, 404]).toContain(ended.status)

    // Unsubscribe: subscription-ended (subscription-ends in r1.2) follows.
    const deleted = await http
      .delete(`${events}/subscriptions/${statusSubscription.body.id as string}`)
      .set(auth)
    expect([202, 204]).toContain(deleted.status)
    expect(
      (await http.delete(`${registrations}/sessions/${registrationId}`).set(auth)).status,
    ).toBe(204)

    // A registration the network ends (it expires) sends registration-ends where the release
    // has the type; the client's own DELETE above does not (docs/events.md).
    if (served.registrationEnds !== undefined) {
      const again = await http.post(`${registrations}/sessions`).set(auth).send({ deviceId })
      const endsSubscription = await subscribe(
        served.registrationEnds,
        again.body.registrationId as string,
      )
      expect(endsSubscription.status).toBe(201)
      advance(simulator, DEFAULT_REGISTRATION_TTL_MS)
    }

    await simulator.notifier.settled()
    const received = sink.received.map((r) => throughSdk(r.headers, r.body))
    const types = new Set(received.map((event) => event.type))
    expect(types).toEqual(
      new Set(
        [STATUS, INVITATION, served.subscriptionEnded, served.registrationEnds].filter(Boolean),
      ),
    )
    for (const event of received.filter((e) => e.type === STATUS)) {
      expect(event.data).toMatchObject({
        mediaSessionId: expect.any(String),
        status: expect.any(String),
      })
    }
    const violations = await http.get('/_callsim/violations')
    expect(violations.body).toMatchObject({ total: 0 })
  })
}
