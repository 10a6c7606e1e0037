import { expect, test } from 'vitest'
import type { Violation } from '../../../src/contract/index.js'
import { Journal, RequestLog } from '../../../src/http/journal.js'

function request(index: number, extra: { requestViolations?: Violation[] } = {}) {
  return {
    at: `2025-01-01T00:00:0${index % 10}.000Z`,
    method: index % 2 === 0 ? 'POST' : 'GET',
    path: `/webrtc-call-handling/vwip/sessions/${index}`,
    face: 'camara-call-handling',
    operationId: index % 2 === 0 ? 'createSession' : 'getSession',
    status: index % 2 === 0 ? 201 : 200,
    durationMs: index + 0.125,
    correlator: index % 3 === 0 ? undefined : `corr-${index}`,
    requestViolations: extra.requestViolations ?? [],
    responseViolations: [],
    scenarioId: 'default',
    fault: undefined,
  }
}

test('gives back every request as recorded, oldest first, numbered from 1', () => {
  const log = new RequestLog(5)
  for (let index = 0; index < 3; index += 1) log.push(request(index))
  expect(log.total).toBe(3)
  expect(log.toArray()).toEqual([0, 1, 2].map((index) => ({ seq: index + 1, ...request(index) })))
})

test('keeps only the newest entries once full, still numbered by arrival', () => {
  const log = new RequestLog(4)
  for (let index = 0; index < 11; index += 1) log.push(request(index))
  expect(log.total).toBe(11)
  expect(log.toArray()).toEqual(
    [7, 8, 9, 10].map((index) => ({ seq: index + 1, ...request(index) })),
  )
})

test("visits the calls of the requests after a number that it still keeps, without the control API's own", () => {
  const log = new RequestLog(4)
  const visited = (afterSeq: number) => {
    const callIds: string[] = []
    log.visitCallIdsAfter(afterSeq, (callId) => callIds.push(callId))
    return callIds
  }
  log.push({ ...request(0), callId: 'call-a' })
  log.push(request(1))
  log.push({ ...request(2), callId: 'call-b' }, true)
  log.push({ ...request(3), callId: 'call-c' })
  expect(visited(0)).toEqual(['call-a', 'call-c'])
  expect(visited(3)).toEqual(['call-c'])
  expect(visited(4)).toEqual([])
  // Past the capacity, the overwritten entries are gone from the visit too.
  for (let index = 4; index < 7; index += 1)
    log.push({ ...request(index), callId: `call-${index}` })
  expect(visited(1)).toEqual(['call-c', 'call-4', 'call-5', 'call-6'])
})

test('keeps the violations a request had', () => {
  const log = new RequestLog(2)
  const violation: Violation = {
    direction: 'request',
    operationId: 'createSession',
    location: 'body',
    path: 'body.offer',
    keyword: 'type',
    message: 'must be object',
  }
  log.push(request(0, { requestViolations: [violation] }))
  log.push(request(1))
  const [first, second] = log.toArray()
  expect(first?.requestViolations).toEqual([violation])
  expect(second?.requestViolations).toEqual([])
})

test('starts again from nothing when cleared', () => {
  const journal = new Journal()
  for (let index = 0; index < 3; index += 1) journal.record(request(index))
  journal.clear()
  expect(journal.requests.toArray()).toEqual([])
  journal.record(request(5))
  expect(journal.requests.toArray()).toEqual([{ seq: 1, ...request(5) }])
})

test('gives the exact bodies of an exchange when asked for them', () => {
  const log = new RequestLog(3)
  const bodies = { requestBody: '{"offer":{"sdp":"v=0 é"}}', responseBody: '{"status":"Initial"}' }
  log.push({ ...request(0), ...bodies })
  log.push(request(1))
  const [withBody, withoutBody] = log.toArray(true)
  expect(withBody).toEqual({ seq: 1, ...request(0), ...bodies })
  expect(withoutBody).toEqual({
    seq: 2,
    ...request(1),
    requestBody: undefined,
    responseBody: undefined,
  })
  expect(log.toArray()[0]).toEqual({ seq: 1, ...request(0) })
})

test('lets the bodies of older entries go once newer bodies fill the room kept for them', () => {
  const log = new RequestLog(10, 100)
  for (let index = 0; index < 5; index += 1)
    log.push({ ...request(index), requestBody: String(index).repeat(40) })
  const entries = log.toArray(true)
  expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4, 5])
  expect(entries.map((entry) => entry.requestBody)).toEqual([
    undefined,
    undefined,
    undefined,
    '3'.repeat(40),
    '4'.repeat(40),
  ])
  // A body that is gone is said to be gone, unlike one that never was.
  expect(entries.map((entry) => entry.requestBodyDropped)).toEqual([
    true,
    true,
    true,
    undefined,
    undefined,
  ])
  expect(entries.map((entry) => entry.responseBodyDropped)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
  ])
})

test('says a body larger than all the room kept for bodies was dropped', () => {
  const log = new RequestLog(10, 100)
  log.push({ ...request(0), requestBody: 'x'.repeat(101), responseBody: '{}' })
  const [entry] = log.toArray(true)
  expect(entry).toMatchObject({ requestBodyDropped: true, responseBody: '{}' })
  expect(entry?.requestBody).toBeUndefined()
  expect(entry).not.toHaveProperty('responseBodyDropped')
})

test("keeps the control API's own bodies apart, so that they never push out the faces'", () => {
  const log = new RequestLog(10, 100, 100)
  log.push({ ...request(0), responseBody: 'a'.repeat(60) })
  for (let index = 1; index < 5; index += 1)
    log.push({ ...request(index), responseBody: String(index).repeat(60) }, true)
  const bodies = log.toArray(true).map((entry) => entry.responseBody)
  expect(bodies).toEqual(['a'.repeat(60), undefined, undefined, undefined, '4'.repeat(60)])
})
