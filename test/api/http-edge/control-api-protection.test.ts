import request from 'supertest'
import { expect, test } from 'vitest'
import { exposureWarning } from '../../../src/app/index.js'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { startSimulator } from '../../support/start-simulator.js'

function setup(overrides: Parameters<typeof startSimulator>[0] = {}) {
  const simulator = startSimulator(overrides)
  const http = request(simulator.app)
  // What a page on another site makes a browser send: a "simple" request, no preflight.
  const crossSiteReset = () =>
    http
      .post('/_callsim/reset')
      .set('origin', 'http://evil.example')
      .set('content-type', 'text/plain')
      .send('{}')
  return { simulator, http, crossSiteReset }
}

test('refuses a cross-site reset with 403 and forgets nothing', async () => {
  const { simulator, crossSiteReset } = setup()
  simulator.control.activateScenario('busy-callee')
  // The reproduction of issue 16: this reset used to answer 204.
  expectErrorInfo(await crossSiteReset(), 403, 'PERMISSION_DENIED', /another origin/)
  expect(simulator.control.scenarioActivations().global).toBe('busy-callee')
})

test('refuses any request from a foreign Origin or a cross-site fetch, reads included', async () => {
  const { http } = setup()
  const foreign: [path: string, header: string, value: string][] = [
    ['/_callsim/journal', 'origin', 'http://evil.example'],
    ['/_callsim/journal', 'origin', 'null'],
    ['/_callsim/journal', 'sec-fetch-site', 'cross-site'],
    // Not even an unknown control path answers a foreign page, nor the control API's spec.
    ['/_callsim/nothing-here', 'origin', 'http://evil.example'],
    ['/_callsim/openapi.yaml', 'origin', 'http://evil.example'],
    ['/_callsim/openapi.json', 'sec-fetch-site', 'cross-site'],
  ]
  for (const [path, header, value] of foreign) {
    expectErrorInfo(await http.get(path).set(header, value), 403, 'PERMISSION_DENIED')
  }
  expect((await http.get('/_callsim/nothing-here')).status).toBe(404)
  expect((await http.get('/_callsim/openapi.yaml')).status).toBe(200)
})

test('serves the control API spec only past the gate: its own Host names and the admin token', async () => {
  const { http } = setup({ adminToken: 's3cret-admin' })
  // Every face's spec is public, but /_callsim is the control plane (issue 16, item 6).
  expectErrorInfo(await http.get('/_callsim/openapi.yaml'), 401, 'UNAUTHENTICATED')
  const rebound = await http
    .get('/_callsim/openapi.yaml')
    .set('host', 'rebind.evil.example')
    .set('authorization', 'Bearer s3cret-admin')
  expectErrorInfo(rebound, 403, 'PERMISSION_DENIED', /host names/)
  const allowed = await http
    .get('/_callsim/openapi.yaml')
    .set('authorization', 'Bearer s3cret-admin')
  expect(allowed.status).toBe(200)
  expect(allowed.text).toMatch(/^openapi: /m)
  expect((await http.get('/webrtc-call-handling/vwip/openapi.yaml')).status).toBe(200)
})

test('accepts its own origin, and clients that send none', async () => {
  const { http } = setup()
  const own = await http
    .get('/_callsim/clock')
    .set('host', 'localhost:9091')
    .set('origin', 'http://localhost:9091')
  expect(own.status).toBe(200)
  expect((await http.get('/_callsim/clock').set('sec-fetch-site', 'same-origin')).status).toBe(200)
  expect((await http.get('/_callsim/clock')).status).toBe(200)
})

test('refuses a Host that is not loopback, --host or an --allowed-host (DNS rebinding)', async () => {
  const { http } = setup({ allowedHosts: ['sandbox.example.net'] })
  const journal = (host: string) => http.get('/_callsim/journal').set('host', host)
  expectErrorInfo(
    await journal('rebound.evil.example:9091'),
    403,
    'PERMISSION_DENIED',
    /--allowed-host rebound\.evil\.example/,
  )
  for (const host of [
    'localhost:9091',
    '127.0.0.1:9091',
    '127.8.9.10',
    '[::1]:9091',
    'app.localhost',
    'Sandbox.Example.NET:9091',
  ]) {
    expect((await journal(host)).status, host).toBe(200)
  }
  const onAllInterfaces = setup({ host: '10.1.2.3' })
  expect(
    (await onAllInterfaces.http.get('/_callsim/clock').set('host', '10.1.2.3:9091')).status,
  ).toBe(200)
})

test('refuses a state-changing control request that is not declared JSON with 415', async () => {
  const { http } = setup()
  expectErrorInfo(
    await http.post('/_callsim/reset'),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
    /application\/json/,
  )
  expectErrorInfo(
    await http.post('/_callsim/clock').set('content-type', 'text/plain').send('{"advance":"1s"}'),
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  )
  expectErrorInfo(await http.delete('/_callsim/activations/global'), 415, 'UNSUPPORTED_MEDIA_TYPE')
  expect((await http.post('/_callsim/reset').set('content-type', 'application/json')).status).toBe(
    204,
  )
})

test('checks --admin-token before it reads the body: a bad body without the token gets 401', async () => {
  const { http } = setup({ adminToken: 'let-me-in' })
  const refused = await http.post('/_callsim/tokens').send({ nonsense: true })
  expectErrorInfo(refused, 401, 'UNAUTHENTICATED', /--admin-token/)
  // The reproduction of the deep-body 400 cannot be reached without the token either.
  const deep = await http
    .post('/_callsim/tokens')
    .set('content-type', 'application/json')
    .send(`{"a":${'['.repeat(100)}`)
  expect(deep.status).toBe(401)
  const admitted = await http
    .post('/_callsim/tokens')
    .set('authorization', 'Bearer let-me-in')
    .send({ nonsense: true })
  expectErrorInfo(admitted, 400, 'INVALID_ARGUMENT')
})

test('warns when listening beyond loopback, naming what is exposed', () => {
  expect(exposureWarning({ host: '127.0.0.1', adminToken: undefined, tokenSecret: 'x' })).toEqual(
    [],
  )
  expect(exposureWarning({ host: '::1', adminToken: undefined, tokenSecret: 'x' })).toEqual([])
  const open = exposureWarning({
    host: '0.0.0.0',
    adminToken: undefined,
    tokenSecret: startSimulator().options.tokenSecret,
  }).join('\n')
  expect(open).toMatch(/WARNING: callsim listens on 0\.0\.0\.0/)
  expect(open).toMatch(/control API \(\/_callsim\) without --admin-token/)
  expect(open).toMatch(/published development secret/)
  expect(open).toMatch(/Exposing callsim/)
  const guarded = exposureWarning({ host: '0.0.0.0', adminToken: 'a', tokenSecret: 'own' }).join(
    '\n',
  )
  expect(guarded).not.toMatch(/without --admin-token|development secret/)
})
