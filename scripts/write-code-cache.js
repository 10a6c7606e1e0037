// Build step after scripts/bundle.js: starts the bin once with CALLSIM_CODE_CACHE=write, plays
// what a client does first (register a device; create, read and end a call) and stops it. At
// exit the bin writes dist/bin/callsim-bundle.cjs.cache: V8's bytecode for the bundle's top
// level and for every function that run compiled, which later starts load instead of compiling.
import { spawn } from 'node:child_process'
import { rmSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const CACHE_FILE = 'dist/bin/callsim-bundle.cjs.cache'
const TIMEOUT_MS = 30_000

// A cache from an earlier build must not pass for this one's if the run below writes none.
rmSync(new URL(`../${CACHE_FILE}`, import.meta.url), { force: true })
const server = spawn(
  process.execPath,
  ['dist/bin/callsim.js', 'serve', '--host', '127.0.0.1', '--port', '0', '--seed', '1'],
  {
    cwd: ROOT,
    // V8 accepts a cache only under the flags it was made with: those of a plain `node`. With
    // --enable-source-maps in NODE_OPTIONS the bin would not even use node:vm.
    env: { ...process.env, NODE_OPTIONS: '', CALLSIM_CODE_CACHE: 'write' },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
)
const exited = new Promise((resolve) =>
  server.once('exit', (code, signal) => resolve({ code, signal })),
)
const timeout = setTimeout(
  () => fail(`callsim serve did not finish the warm-up run within ${TIMEOUT_MS / 1000} s`),
  TIMEOUT_MS,
)

function fail(message) {
  process.stderr.write(`write-code-cache: ${message}\n`)
  server.kill('SIGKILL')
  process.exit(1)
}

let listening = false

/** What serve prints once it listens: its URL, and a default subscriber with a token. */
function banner() {
  return new Promise((resolve) => {
    let output = ''
    server.stdout.on('data', (chunk) => {
      output += chunk.toString('utf8')
      const url = /listening on (http:\S+)/.exec(output)?.[1]
      const subscriber = /A token for (\S+),/.exec(output)?.[1]
      const token = /export TOKEN=(\S+)/.exec(output)?.[1]
      if (!url || !subscriber || !token) return
      listening = true
      resolve({ url, subscriber, token })
    })
    void exited.then(({ code }) => {
      if (!listening) fail(`callsim serve exited with code ${code} before it listened:\n${output}`)
    })
  })
}

async function call(url, method, path, headers, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) fail(`${method} ${path} answered ${response.status}: ${text}`)
  return text === '' ? undefined : JSON.parse(text)
}

const { url, subscriber, token } = await banner()
const headers = {
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
  'x-correlator': 'build-code-cache',
}
const { registrationId } = await call(url, 'POST', '/webrtc-registration/vwip/sessions', headers, {
  deviceId: '3f1c9a2e-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
})
const callHeaders = { ...headers, registrationid: registrationId }
const sdp = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 49170 RTP/SAVPF 102',
  'a=rtpmap:102 AMR-WB/16000',
  '',
].join('\r\n')
const session = await call(url, 'POST', '/webrtc-call-handling/vwip/sessions', callHeaders, {
  originatorAddress: subscriber,
  receiverAddress: 'tel:+15551000001',
  offer: { sdp },
})
await call(url, 'GET', `/webrtc-call-handling/vwip/sessions/${session.mediaSessionId}`, callHeaders)
await call(
  url,
  'DELETE',
  `/webrtc-call-handling/vwip/sessions/${session.mediaSessionId}`,
  callHeaders,
)

server.kill('SIGTERM')
const { code, signal } = await exited
clearTimeout(timeout)
if (code !== 0) fail(`callsim serve stopped with ${signal ?? `code ${code}`} instead of code 0`)
let bytes = 0
try {
  bytes = statSync(new URL(`../${CACHE_FILE}`, import.meta.url)).size
} catch {
  fail(`callsim serve stopped without writing ${CACHE_FILE}`)
}
process.stdout.write(`code cache: ${CACHE_FILE} (${Math.round(bytes / 1024)} KiB)\n`)
