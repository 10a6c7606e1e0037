import { readFileSync } from 'node:fs'
import request from 'supertest'
import { parse } from 'yaml'
import { expect, test } from 'vitest'
import type { Simulator } from '../../src/app/index.js'
import { startSimulator } from '../support/start-simulator.js'

// Every face serves the spec it validates against below its base path, so a client can be
// generated from a running callsim (`openapi-typescript <base>/openapi.yaml`).

function setup(specs: string[] = []): { simulator: Simulator; http: ReturnType<typeof request> } {
  const simulator = startSimulator({ specs })
  return { simulator, http: request(simulator.app) }
}

test('serves each built-in spec file unchanged at <base>/openapi.yaml, with no token', async () => {
  const { simulator, http } = setup()
  expect(simulator.faces.length).toBeGreaterThanOrEqual(6)
  for (const face of simulator.faces) {
    const response = await http.get(`${face.basePath}/openapi.yaml`).set('x-correlator', 'spec-1')
    expect(response.status, face.id).toBe(200)
    expect(response.headers['content-type']).toBe('application/yaml; charset=utf-8')
    expect(response.headers['x-correlator']).toBe('spec-1')
    expect(response.text).toBe(readFileSync(face.spec.spec.source, 'utf8'))
  }
  simulator.dispose()
})

test('serves the same document as JSON at <base>/openapi.json', async () => {
  const { simulator, http } = setup()
  for (const face of simulator.faces) {
    const response = await http.get(`${face.basePath}/openapi.json`)
    expect(response.status, face.id).toBe(200)
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(response.body).toEqual(parse(readFileSync(face.spec.spec.source, 'utf8')))
  }
  simulator.dispose()
})

test('serves the file given with --spec instead of the built-in one it replaces', async () => {
  const official = 'test/contract/fixtures/webrtc-call-handling.yaml'
  const { simulator, http } = setup([official])
  const face = simulator.faces.find((f) => f.id === 'camara-call-handling')
  const response = await http.get(`${face?.basePath}/openapi.yaml`)
  expect(response.status).toBe(200)
  expect(response.text).toBe(readFileSync(official, 'utf8'))
  simulator.dispose()
})

test('answers other methods and other file names as any unknown route of the face', async () => {
  const { simulator, http } = setup()
  const base = '/webrtc-call-handling/vwip'
  const head = await http.head(`${base}/openapi.yaml`)
  expect(head.status).toBe(200)
  const post = await http.post(`${base}/openapi.yaml`).send({})
  expect(post.status).toBe(404)
  expect(post.body).toMatchObject({ status: 404, code: 'NOT_FOUND' })
  const other = await http.get(`${base}/openapi.yml`)
  expect(other.status).toBe(404)
  simulator.dispose()
})
