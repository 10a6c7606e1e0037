import request from 'supertest'
import { expect, test } from 'vitest'
import type { Face, OperationHandler } from '../../../src/apis/index.js'
import { formatCamaraProtocolError } from '../../../src/apis/camara-common/error-info.js'
import { loadSpec } from '../../../src/contract/index.js'
import {
  createHttpApp,
  DEFAULT_SERVER_LIMITS,
  Journal,
  silentLogger,
} from '../../../src/http/index.js'
import { ScenarioEngine } from '../../../src/scenario/index.js'
import { createRandom } from '../../../src/core/index.js'

const SPEC = `
openapi: 3.0.3
info: { title: broken face, version: '1' }
servers: [{ url: /broken }]
paths:
  /throws: { get: { operationId: throws, responses: { '200': { description: ok } } } }
  /rejects: { get: { operationId: rejects, responses: { '200': { description: ok } } } }
  /unserialisable: { get: { operationId: unserialisable, responses: { '200': { description: ok } } } }
`

/**
 * An app over a face whose handlers fail the ways a bug in callsim would: a throw, a rejected
 * promise, and a reply JSON.stringify cannot write. The logger keeps what it is given.
 */
function setup() {
  const loaded = loadSpec(SPEC, 'broken.yaml')
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error))
  const handlers: Record<string, OperationHandler> = {
    throws: () => {
      throw new Error('a bug in a handler')
    },
    rejects: () => Promise.reject(new Error('a bug after an await')),
    unserialisable: () => ({ status: 200, body: { big: 10n } }),
  }
  const face: Face = {
    id: 'broken',
    spec: loaded.value,
    basePath: '/broken',
    handlers,
    formatError: formatCamaraProtocolError,
  }
  const logged: { fields: object; message: string }[] = []
  const logger = {
    ...silentLogger,
    error: (fields: object, message: string) => void logged.push({ fields, message }),
  }
  const journal = new Journal()
  const app = createHttpApp({
    faces: [face],
    fallbackFace: face,
    verifier: { verify: () => ({ ok: false, error: 'no tokens here' }) },
    journal,
    logger,
    now: () => 0,
    strict: true,
    bodyLimitBytes: 1024,
    drainLimits: DEFAULT_SERVER_LIMITS.drain,
    controlPlane: { allowedHosts: [] },
    specText: () => undefined,
    scenarios: new ScenarioEngine([], createRandom(1)),
    wait: (_ms, task) => task(),
  })
  return { app, journal, logged }
}

test('turns an exception in a handler, sync or async, or an unwritable reply into the face 500', async () => {
  const { app, journal, logged } = setup()
  for (const path of ['/broken/throws', '/broken/rejects', '/broken/unserialisable']) {
    const response = await request(app).get(path).set('x-correlator', 'c-500')
    expect(response.status).toBe(500)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.headers['x-correlator']).toBe('c-500')
    expect(response.body).toEqual({
      status: 500,
      code: 'INTERNAL',
      message: expect.stringMatching(/details are in its log/),
    })
    expect(response.text).not.toMatch(/\bat \S+ \(|\.ts:\d+/)
  }
  // Each failure is journaled with its status, and the log has the error with its stack.
  expect(journal.requests.toArray().map((entry) => [entry.path, entry.status])).toEqual([
    ['/broken/throws', 500],
    ['/broken/rejects', 500],
    ['/broken/unserialisable', 500],
  ])
  expect(logged).toHaveLength(3)
  for (const { fields } of logged) expect((fields as { err: Error }).err.stack).toMatch(/\n\s+at /)
})
