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

/**
 * Asserts a CAMARA ErrorInfo body (the CAMARA faces and the control API), with a message long
 * enough for a client developer to act on: the shape the shared error-hygiene suite checks.
 */
export function expectErrorInfoBody(body: unknown, status: number): void {
  expect(body).toEqual({
    status,
    code: expect.stringMatching(/^[A-Z_]+$/),
    message: expect.any(String),
  })
  expect((body as { message: string }).message.length).toBeGreaterThan(10)
}
