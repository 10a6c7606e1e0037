import type { AddressInfo } from 'node:net'
import express from 'express'
import request from 'supertest'
import { afterEach, expect, test } from 'vitest'
import {
  DEFAULT_SERVER_LIMITS,
  createExpressServer,
  silentLogger,
} from '../../../src/http/index.js'

const servers: { close: () => void }[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

test('builds requests and responses on the app prototypes before Express sees them, and serves as Express does', async () => {
  const app = express()
  app.use((req, res) => {
    // Express's own helpers work on them: req.get and res.status().json().
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () =>
      res.status(201).json({ method: req.method, correlator: req.get('x-correlator'), body }),
    )
  })
  const server = createExpressServer(app, DEFAULT_SERVER_LIMITS, silentLogger)
  servers.push(server)
  const arrivals: boolean[] = []
  server.prependListener('request', (req, res) => {
    arrivals.push(
      Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response,
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  for (const body of ['{"a":1}', '{"b":2}']) {
    const response = await fetch(`http://127.0.0.1:${port}/anything`, {
      method: 'POST',
      headers: { 'x-correlator': 'c-1', 'content-type': 'application/json' },
      body,
    })
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await response.json()).toEqual({ method: 'POST', correlator: 'c-1', body })
  }
  expect(arrivals).toEqual([true, true])
  // The app still serves through any other server, such as supertest's.
  const viaSupertest = await request(app).post('/other').set('x-correlator', 'c-2').send({ c: 3 })
  expect(viaSupertest.status).toBe(201)
  expect(viaSupertest.body).toEqual({ method: 'POST', correlator: 'c-2', body: '{"c":3}' })
})
