// The servers the benchmark compares, each started as its own process by start-server.js.
import { fileURLToPath } from 'node:url'
import { request } from './start-server.js'

export const ROOT = fileURLToPath(new URL('../', import.meta.url))
export const BASE = '/webrtc-call-handling/vwip'
export const SUBSCRIBER = 'tel:+15550001'
export const REGISTRATION_BASE = '/webrtc-registration/vwip'
export const DEVICE_ID = '0b7c2f4e-9d1a-4c3b-8e6f-5a2d7c9e1b30'
export const SCOPES = [
  ...['create', 'read', 'write', 'delete'].map((verb) => `webrtc-call-handling:sessions:${verb}`),
  'webrtc-registration:sessions:create',
].join(' ')

/** A WebRTC audio offer of the size real clients send (RFC 4566, as in the CAMARA examples). */
const OFFER_SDP = [
  'v=0',
  'o=- 4576312012357624938 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 49170 RTP/SAVPF 102 113',
  'c=IN IP6 2001:db8::1',
  'b=AS:64',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=candidate:1373315376 1 udp 2122262783 2001:db8::1 49170 typ host generation 0',
  'a=ice-ufrag:Qk8u',
  'a=ice-pwd:Ey7kq3Zr0tN1vB6mX9cD2fGh',
  'a=ice-options:trickle renomination',
  'a=mid:audio',
  'a=sendrecv',
  'a=rtcp-mux',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:Wq3t9Zp0aB7cD2eF5gH8iJ1kL4mN6oP9qR2sT5uV',
  'a=rtpmap:102 AMR-WB/16000',
  'a=fmtp:102 octet-align=0; mode-set=0,1,2; mode-change-capability=2',
  'a=rtpmap:113 telephone-event/16000',
  'a=ptime:20',
  '',
].join('\r\n')

/** Valid MediaSessionCreate bodies for 64 different callees, used in turn. */
export const CREATE_BODIES = Array.from({ length: 64 }, (_, i) =>
  JSON.stringify({
    originatorAddress: SUBSCRIBER,
    receiverAddress: `tel:+1555100${String(i).padStart(4, '0')}`,
    offer: { sdp: OFFER_SDP },
  }),
)

/** The headers a CAMARA client sends; createSession requires registrationId. */
export function clientHeaders(token, registrationId) {
  return {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    registrationid: registrationId,
    'x-correlator': 'bench-7f3a2c10-5b8e-4d21',
  }
}

/**
 * callsim's start-up probe is what a client does first: register the device (a real POST
 * through routing, auth, validation and state). Its registrationId goes on every createSession.
 */
export function registerDeviceProbe(token) {
  return (port) =>
    request(port, {
      method: 'POST',
      path: `${REGISTRATION_BASE}/sessions`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: DEVICE_ID }),
    })
}

/** The baselines' probe: one POST /sessions, the request they are measured on. */
export function createSessionProbe(token, base = BASE) {
  return (port) =>
    request(port, {
      method: 'POST',
      path: `${base}/sessions`,
      headers: clientHeaders(token, 'bench-registration'),
      body: CREATE_BODIES[0],
    })
}

/** The registrationId to send: the one callsim returned to the probe, any value elsewhere. */
export function registrationIdFrom(probeAnswer) {
  try {
    return JSON.parse(probeAnswer.text).registrationId ?? 'bench-registration'
  } catch {
    return 'bench-registration'
  }
}

/**
 * The `callsim serve` arguments every bench run starts callsim with: loopback, the given port,
 * seed 1 and `--strict`, so that a response that breaks its spec fails the run.
 * @param {number} port
 * @param {string} clock `system` or `virtual`
 * @param {string[]} [extraArgs]
 */
export function serveArgs(port, clock, extraArgs = []) {
  return [
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--seed',
    '1',
    '--clock',
    clock,
    '--strict',
    ...extraArgs,
  ]
}

/**
 * Every target: how to start it on a port. callsim runs as users run it (the CLI, every
 * built-in spec), with --strict so that a response breaking the spec becomes a counted 500.
 * `baselineDir` adds the same callsim run from another built checkout (`--baseline-dir`);
 * `console` the same callsim with a web console open on it, `consoleStream` with only the
 * console's change stream open, which tells the stream's cost from the re-reads'.
 * @param {{
 *   repliesFile: () => string, prism: boolean, console?: boolean, consoleStream?: boolean,
 *   baselineDir?: { dir: string, commit: string }, clock?: string, extraArgs?: string[],
 * }} options
 */
export function targetDefinitions({
  repliesFile,
  prism,
  console: withConsole = false,
  consoleStream: withConsoleStream = false,
  baselineDir = undefined,
  clock = 'system',
  extraArgs = [],
}) {
  const baseline = (kind, label) => ({
    id: kind,
    label,
    base: BASE,
    probe: createSessionProbe,
    args: (port) => [`${ROOT}bench/baseline-server.js`, kind, String(port), repliesFile()],
  })
  const callsim = {
    id: 'callsim',
    label: 'callsim (validation both ways, auth, state, journal)',
    base: BASE,
    probe: registerDeviceProbe,
    args: (port) => [`${ROOT}dist/bin/callsim.js`, ...serveArgs(port, clock, extraArgs)],
  }
  return [
    callsim,
    ...(baselineDir
      ? [
          {
            ...callsim,
            id: 'callsim-baseline',
            label: `callsim at ${baselineDir.commit} (${baselineDir.dir})`,
            args: (port) => [
              `${baselineDir.dir}/dist/bin/callsim.js`,
              ...serveArgs(port, clock, extraArgs),
            ],
          },
        ]
      : []),
    ...(withConsole
      ? [
          {
            ...callsim,
            id: 'callsim-console',
            label: 'callsim with the web console open (change stream, re-reads)',
            console: 'page',
          },
        ]
      : []),
    ...(withConsoleStream
      ? [
          {
            ...callsim,
            id: 'callsim-stream',
            label: "callsim with only the console's change stream open (no re-reads)",
            console: 'stream',
          },
        ]
      : []),
    baseline('express-ceiling', 'Express 5, one middleware, same JSON (ceiling)'),
    baseline(
      'express-ceiling-prebuilt',
      "the same ceiling on callsim's HTTP server (prototypes prebuilt)",
    ),
    baseline('express-route', 'Express 5 routes + express.json(), same JSON'),
    baseline('node-http', 'raw node:http, same JSON'),
    ...(prism
      ? [
          {
            id: 'prism',
            label: 'Prism mock, static examples',
            // Prism serves the spec's paths without the servers URL's base path.
            base: '',
            probe: (token) => createSessionProbe(token, ''),
            args: (port) => [
              `${ROOT}node_modules/@stoplight/prism-cli/dist/index.js`,
              'mock',
              '-h',
              '127.0.0.1',
              '-p',
              String(port),
              `${ROOT}spec/camara/webrtc-call-handling.yaml`,
            ],
          },
        ]
      : []),
  ]
}
