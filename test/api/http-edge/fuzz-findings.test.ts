import request from 'supertest'
import { expect, test } from 'vitest'
import { expectErrorInfo } from '../../support/expect-error-info.js'
import { startSimulator } from '../../support/start-simulator.js'

/** Regression tests for what the fuzz test (test/fuzz/every-operation.test.ts) found. */
function setup() {
  const simulator = startSimulator()
  return { simulator, http: request(simulator.app) }
}

test('refuses to advance the virtual clock past 9000-01-01 and leaves it where it was', async () => {
  const { simulator, http } = setup()
  const before = simulator.control.clock().now
  // Found by fuzzing: the clock moved ~16,800 years, its `now` was no longer a date-time, and
  // the reply was a 500 after the clock had already moved.
  const response = await http
    .post('/_callsim/clock')
    .set('content-type', 'application/json')
    .send({ advance: '529021853000s' })
  expectErrorInfo(response, 400, 'INVALID_ARGUMENT', /past 9000-01-01T00:00:00.000Z/)
  expect(simulator.control.clock().now).toBe(before)
  expect(simulator.control.advanceClock(Number.MAX_VALUE).ok).toBe(false)
  const lastMoment = Date.UTC(9000, 0, 1) - before
  const advanced = await http
    .post('/_callsim/clock')
    .set('content-type', 'application/json')
    .send({ advance: lastMoment })
  expect(advanced.status).toBe(200)
  expect(advanced.body.now).toBe('9000-01-01T00:00:00.000Z')
})
