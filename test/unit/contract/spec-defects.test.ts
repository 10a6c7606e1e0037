import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import {
  CompileCache,
  formatSpecProblem,
  loadSpec,
  validateRequest,
  type CompiledSpec,
} from '../../../src/contract/index.js'

const releaseFile = (file: string) =>
  readFileSync(new URL(`../../../spec/releases/${file}`, import.meta.url), 'utf8')

/** One cache for the file: a release file two tests read with the same reading compiles once. */
const cache = new CompileCache()

function load(file: string, reading: 'tolerant' | 'literal' = 'tolerant'): CompiledSpec {
  const loaded = loadSpec(releaseFile(file), `spec/releases/${file}`, cache, reading)
  if (!loaded.ok) throw new Error(loaded.error.map(formatSpecProblem).join('\n'))
  return loaded.value
}

function registerBody(spec: CompiledSpec, deviceId: string): string[] {
  const operation = spec.operations.get('createRegistration')
  if (!operation) throw new Error('no createRegistration')
  return validateRequest(operation, {
    pathParams: {},
    query: {},
    headers: {},
    hasBody: true,
    contentType: 'application/json',
    body: { deviceId },
  }).violations.map((violation) => violation.message)
}

const DEVICE = '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11'

test('reads r2.2’s `pattern: uuid` as `format: uuid` and says so with file, line and pointer', () => {
  const spec = load('r2.2/webrtc-registration.yaml')
  expect(registerBody(spec, DEVICE)).toEqual([])
  expect(registerBody(spec, 'not-a-uuid')).toEqual(['deviceId must be a valid uuid'])
  expect(spec.warnings.map(formatSpecProblem)).toContain(
    'spec/releases/r2.2/webrtc-registration.yaml:298 at /components/schemas/regSessionRequest/properties/deviceId/pattern: `pattern: uuid` is a format name, not a regular expression (it matches only text containing "uuid"); callsim reads it as `format: uuid`. Start with --spec-strict to take it literally.',
  )
})

test('takes `pattern: uuid` literally with --spec-strict, so no UUID registers, and still warns', () => {
  const spec = load('r2.2/webrtc-registration.yaml', 'literal')
  expect(registerBody(spec, DEVICE)).toEqual(['deviceId must match the pattern uuid'])
  expect(spec.warnings.map((w) => w.pointer)).toContain(
    '/components/schemas/regSessionRequest/properties/deviceId/pattern',
  )
})

test('reports the session-status `required` beside data and, by default, requires it in data', () => {
  const tolerant = load('r2.2/webrtc-events.yaml')
  const literal = load('r2.2/webrtc-events.yaml', 'literal')
  const at = '/components/schemas/EventSessionStatus/allOf/1/required'
  expect(tolerant.warnings.find((w) => w.pointer === at)?.message).toMatch(
    /^requires mediaSessionId, status beside `data`, .* so callsim requires them in `data`/,
  )
  expect(literal.warnings.find((w) => w.pointer === at)?.message).toMatch(
    /--spec-strict: required on the envelope, as written/,
  )
  // The document as served: moved into data, or kept where the file put it.
  const served = (spec: CompiledSpec) =>
    JSON.stringify(
      (spec.spec.document as { components: { schemas: Record<string, unknown> } }).components
        .schemas.EventSessionStatus,
    )
  expect(served(tolerant)).toContain('"required":["mediaSessionId","status"]}]}')
  expect(served(literal)).toContain('"required":["mediaSessionId","status"],"properties"')
})

test('warns about examples that break their own schema', () => {
  const spec = load('r2.2/webrtc-events.yaml')
  expect(spec.warnings.map((w) => w.pointer)).toContain(
    '/components/examples/REGISTRATION_ENDS_SUBSCRIPTION',
  )
})

test('warns about a declared response with no schema', () => {
  const text = `openapi: 3.0.3
info: { title: t, version: '1' }
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json: {}
`
  const loaded = loadSpec(text, 'things.yaml')
  if (!loaded.ok) throw new Error('does not load')
  expect(loaded.value.warnings.map(formatSpecProblem)).toEqual([
    'things.yaml:11 at /paths/~1things/get/responses/200/content/application~1json: this response declares application/json with no schema, so callsim cannot check what it sends; it sends its own representation.',
  ])
})

test('finds nothing to say about a required property its allOf sibling defines', () => {
  const spec = load('r2.2/webrtc-call-handling.yaml')
  expect(spec.warnings.filter((w) => w.pointer.endsWith('/required'))).toEqual([])
})
