import type { Response } from 'supertest'
import { expect } from 'vitest'

/** Asserts a CAMARA ErrorInfo answer as a client sees it: status, JSON type, code, message. */
export function expectErrorInfo(
  response: Response,
  status: number,
  code: string,
  message?: RegExp,
): void {
  expect(response.status).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.body).toMatchObject({ status, code })
  expect(typeof response.body.message).toBe('string')
  if (message) expect(response.body.message).toMatch(message)
}
