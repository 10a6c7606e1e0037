import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import request from 'supertest'
import { afterAll, expect, test } from 'vitest'
import { NEW_SESSION, setup } from './setup.js'

// A callee behind a gateway that refuses every call: the scenario selects itself by the callee's
// number (a magic number), so its fault plan must act on the very request that names that number.
const GATEWAY_REFUSES = `description: Calls to +15550199503 are refused by a gateway.
match:
  remoteAddress: { matches: '^(tel:)?\\+15550199503$' }
faults:
  - name: gateway refuses
    operations: [createSession, startCall]
    undeclared: true
    action: { type: respond, status: 503, code: UNAVAILABLE, message: The gateway refuses this callee. }
`
const REFUSED_CALLEE = 'tel:+15550199503'

const dir = mkdtempSync(path.join(tmpdir(), 'callsim-governing-'))
writeFileSync(path.join(dir, 'gateway-refuses.yaml'), GATEWAY_REFUSES)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a magic number in the body governs the whole request: its fault answers, no call is made, the journal names it', async () => {
  const t = await setup({ scenarioPaths: [dir] })
  const refused = await t.createSession({ ...NEW_SESSION, receiverAddress: REFUSED_CALLEE })
  expect(refused.status).toBe(503)
  expect(refused.body).toEqual({
    status: 503,
    code: 'UNAVAILABLE',
    message: 'The gateway refuses this callee.',
  })
  expect((await t.http.get('/_callsim/calls')).body).toEqual({ total: 0, calls: [] })
  const entry = (await t.journal()).entries.at(-2)
  expect(entry).toMatchObject({
    operationId: 'createSession',
    status: 503,
    scenarioId: 'gateway-refuses',
  })
  expect(String(entry?.fault)).toMatch(
    /^gateway-refuses faults\[0\] \(gateway refuses\): respond 503 UNAVAILABLE/,
  )
})

test('any other callee is governed by default, and the call it creates keeps that scenario', async () => {
  const t = await setup({ scenarioPaths: [dir] })
  const id = await t.placeCall()
  expect((await t.adminCall(id)).scenarioId).toBe('default')
  const created = (await t.journal()).entries.filter(
    (entry) => entry.operationId === 'createSession',
  )
  expect(created).toMatchObject([{ status: 201, scenarioId: 'default' }])
})

test('a magic number in the path governs a click-to-call the same way', async () => {
  const t = await setup({ scenarioPaths: [dir] })
  const token = (
    await t.simulator.control.issueToken({
      sub: 'sip:website@shop.example.com',
      scope: 'click2call:calls:create',
    })
  ).token
  const refused = await request(t.simulator.app)
    .post(`/call/2.0/sales/${encodeURIComponent('+15550199503')}`)
    .set({ authorization: `Bearer ${token}`, 'x-correlator': 'c2c-governing' })
  expect(refused.status).toBe(503)
  expect((await t.journal()).entries.at(-1)).toMatchObject({
    operationId: 'startCall',
    status: 503,
    scenarioId: 'gateway-refuses',
  })
})
