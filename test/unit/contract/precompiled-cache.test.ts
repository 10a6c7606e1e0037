import { createHash } from 'node:crypto'
import { createRequire } from 'node:module'
import { expect, test } from 'vitest'
import {
  CompileCache,
  compileJsonSchema,
  loadSpec,
  parseYamlSource,
  validateRequest,
  type CompiledSpec,
  type PrecompiledCache,
  type RecordedCache,
  type ValidateFunction,
} from '../../../src/contract/index.js'

const SPEC = `openapi: 3.0.3
info: { title: Pets, version: '1' }
servers: [{ url: /pets/v1 }]
paths:
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, required: true, schema: { type: integer, maximum: 1000 } }
    put:
      operationId: updatePet
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Pet' }
components:
  schemas:
    Pet:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: { type: string, maxLength: 8 }
        born: { type: string, format: date }
`

/** Serves a recorded cache from memory, as dist/spec-cache serves it from files, and counts hits. */
function toCache(recorded: RecordedCache): PrecompiledCache & { hits: number } {
  const require = createRequire(import.meta.url)
  const validators = new Map<string, ValidateFunction>()
  for (const module of recorded.modules) {
    const exports: Record<string, ValidateFunction> = {}
    // The same CommonJS text the build writes to a .cjs file, evaluated with a require that
    // resolves ajv's runtime helpers and ajv-formats from this project.
    new Function('require', 'module', 'exports', module.code)(require, { exports }, exports)
    for (const [name, key] of module.exports) validators.set(key, exports[name] as ValidateFunction)
  }
  const cache = {
    hits: 0,
    document: (textHash: string) => recorded.documents.get(textHash),
    validator: (key: string) => {
      const found = validators.get(key)
      if (found) cache.hits += 1
      return found
    },
    accepted: (textHash: string, validatorKeyHash: string) =>
      recorded.accepted.has(`${textHash}|${validatorKeyHash}`),
    checkedSpec: (key: string) => recorded.checkedSpecs.get(key),
  }
  return cache
}

/** A JSON request to an operation of a compiled spec, as validateRequest sees it. */
function sendJson(
  spec: CompiledSpec,
  operationId: string,
  body: unknown,
  pathParams: Record<string, string> = {},
) {
  const operation = spec.operations.get(operationId)
  if (!operation) throw new Error(`${operationId} is missing`)
  return validateRequest(operation, {
    pathParams,
    query: {},
    headers: {},
    hasBody: true,
    contentType: 'application/json',
    body,
  })
}

function updatePet(spec: CompiledSpec, petId: string, body: unknown) {
  return sendJson(spec, 'updatePet', body, { petId })
}

function record(): RecordedCache {
  const recording = new CompileCache({ record: true })
  const loaded = loadSpec(SPEC, 'pets.yaml', recording)
  if (!loaded.ok) throw new Error('the test spec does not load')
  return recording.recorded()
}

test('records the parsed document and one standalone validator per schema a spec compiles', () => {
  const recorded = record()
  const hash = createHash('sha256').update(SPEC).digest('hex')
  expect([...recorded.documents.keys()]).toEqual([hash])
  const keys = recorded.modules.flatMap((module) => [...module.exports.values()])
  // The path parameters, the request body and the 200 body.
  expect(keys).toHaveLength(3)
  expect(new Set(keys).size).toBe(3)
})

test('validates exactly as a fresh compile does, with every validator taken from the cache', () => {
  const fresh = loadSpec(SPEC, 'pets.yaml')
  if (!fresh.ok) throw new Error('the test spec does not load')
  const cache = toCache(record())
  const cached = loadSpec(SPEC, 'pets.yaml', new CompileCache({ precompiled: cache }))
  if (!cached.ok) throw new Error('the cached spec does not load')
  expect(cache.hits).toBe(3)

  const inputs: [string, unknown][] = [
    ['7', { name: 'Rex', born: '2020-02-29' }],
    ['7', { name: 'Rexxxxxxxx', born: '2021-02-30', colour: 'red' }],
    ['abc', {}],
    ['5000', { name: 7 }],
  ]
  for (const [petId, body] of inputs) {
    expect(updatePet(cached.value, petId, body)).toEqual(updatePet(fresh.value, petId, body))
  }
  expect(updatePet(cached.value, '7', { name: 'Rex' }).violations).toEqual([])
  expect(
    updatePet(cached.value, '7', { name: 'Rexxxxxxxx', colour: 'red' })
      .violations.map((v) => v.path)
      .sort(),
  ).toEqual(['body.colour', 'body.name'])
})

test('hands out a fresh copy of a cached document and the lines start-up asked for', () => {
  const fresh = parseYamlSource(SPEC, 'pets.yaml')
  if (!fresh.ok) throw new Error('the test spec does not parse')
  const recording = new CompileCache({ record: true })
  const parsed = parseYamlSource(SPEC, 'pets.yaml', recording)
  if (parsed.ok) parsed.value.lineOf('/components/schemas/Pet')
  const recorded = recording.recorded()
  const [hash, json] = [...recorded.documents][0] ?? []
  expect(JSON.parse(json ?? '{}').lines).toEqual({
    '/components/schemas/Pet': fresh.value.lineOf('/components/schemas/Pet'),
  })
  // Mark the recorded line, to see that it is served from the cache rather than re-parsed.
  const marked = new Map([
    [
      hash as string,
      (json as string).replace(
        /"lines":\{"\/components\/schemas\/Pet":\d+\}/,
        '"lines":{"/components/schemas/Pet":999}',
      ),
    ],
  ])
  const cache = new CompileCache({
    precompiled: toCache({
      documents: marked,
      modules: [],
      accepted: new Set(),
      checkedSpecs: new Map(),
    }),
  })

  const first = parseYamlSource(SPEC, 'pets.yaml', cache)
  const second = parseYamlSource(SPEC, 'pets.yaml', cache)
  if (!first.ok || !second.ok) throw new Error('the cached document does not parse')
  expect(first.value.data).toEqual(fresh.value.data)
  expect(first.value.data).not.toBe(second.value.data)
  expect(first.value.lineOf('/components/schemas/Pet')).toBe(999)
  // A line start-up never asked for still comes out right: the YAML is parsed on demand.
  const pointer = '/paths/~1pets~1{petId}/put/operationId'
  expect(first.value.lineOf(pointer)).toBe(fresh.value.lineOf(pointer))
  expect(fresh.value.lineOf(pointer)).toBe(9)
})

test('parses and compiles as usual when a text or schema is not in the cache', () => {
  const cache = toCache(record())
  const edited = loadSpec(
    SPEC.replace('maxLength: 8', 'maxLength: 2'),
    'pets.yaml',
    new CompileCache({ precompiled: cache }),
  )
  if (!edited.ok) throw new Error('the edited spec does not load')
  expect(cache.hits).toBe(0)
  expect(updatePet(edited.value, '7', { name: 'Rex' }).violations.map((v) => v.keyword)).toEqual([
    'maxLength',
  ])
})

test('compiles a self-contained JSON Schema through the same cache', () => {
  const schema = {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', pattern: '^[a-z]+$' } },
  }
  const options = { allErrors: true, strict: true }
  const recording = new CompileCache({ record: true })
  compileJsonSchema(schema, options, recording)
  const cache = toCache(recording.recorded())
  const validate = compileJsonSchema(schema, options, new CompileCache({ precompiled: cache }))
  expect(cache.hits).toBe(1)
  expect(validate({ id: 'abc' })).toBe(true)
  expect(validate({ id: 'ABC' })).toBe(false)
  expect(validate.errors?.[0]).toMatchObject({ keyword: 'pattern', instancePath: '/id' })
})

test('runs a pattern that is not proven linear on the linear engine from standalone code too', () => {
  const schema = {
    type: 'object',
    properties: { code: { type: 'string', maxLength: 40, pattern: '^(a+)+$' } },
  }
  const options = { allErrors: true, strict: true }
  const recording = new CompileCache({ record: true })
  compileJsonSchema(schema, options, recording)
  const recorded = recording.recorded()
  expect(recorded.modules.map((module) => module.code).join('')).toContain('require("re2js")')
  const cache = toCache(recorded)
  const validate = compileJsonSchema(schema, options, new CompileCache({ precompiled: cache }))
  expect(cache.hits).toBe(1)
  expect(validate({ code: 'aaaa' })).toBe(true)
  // 30 characters would take V8's own engine seconds; this one fails at once.
  const started = performance.now()
  expect(validate({ code: `${'a'.repeat(30)}!` })).toBe(false)
  expect(performance.now() - started).toBeLessThan(500)
  expect(validate.errors?.map((error) => error.keyword)).toEqual(['pattern'])
  // Longer than maxLength allows: only maxLength answers, the pattern never sees it.
  expect(validate({ code: `${'a'.repeat(100_000)}!` })).toBe(false)
  expect(validate.errors?.map((error) => error.keyword)).toEqual(['maxLength'])
})

test('knows a text the build found valid only for the same bytes and the same schema', () => {
  const schema = {
    type: 'object',
    required: ['id'],
    properties: { id: { type: 'string', pattern: '^[a-z]+$' } },
  }
  const options = { allErrors: true, strict: true }
  const text = 'id: abc\n'
  const recording = new CompileCache({ record: true })
  const recordingValidate = compileJsonSchema(schema, options, recording)
  // While recording nothing is known yet: every text is checked.
  expect(recording.accepted(recordingValidate, text)).toBe(false)
  if (recordingValidate({ id: 'abc' })) recording.accept(recordingValidate, text)
  const recorded = recording.recorded()
  expect(recorded.accepted.size).toBe(1)
  const cache = new CompileCache({ precompiled: toCache(recorded) })
  const validate = compileJsonSchema(schema, options, cache)
  expect(cache.accepted(validate, text)).toBe(true)
  expect(cache.accepted(validate, 'id: ABC\n')).toBe(false)
  const stricter = compileJsonSchema(
    { ...schema, properties: { id: { type: 'string', pattern: '^[a-c]+$' } } },
    options,
    cache,
  )
  expect(cache.accepted(stricter, text)).toBe(false)
  const empty = new CompileCache()
  expect(empty.accepted(compileJsonSchema(schema, options, empty), text)).toBe(false)
})

test('compiles a spec once per cache, and shares it read-only', () => {
  const cache = new CompileCache()
  const first = loadSpec(SPEC, 'pets.yaml', cache)
  const second = loadSpec(SPEC, 'pets.yaml', cache)
  if (!first.ok || !second.ok) throw new Error('the test spec does not load')
  expect(second.value).toBe(first.value)
  expect(Object.isFrozen(first.value.spec.document.components)).toBe(true)
  expect(() => {
    ;(first.value.spec.document as Record<string, unknown>).paths = {}
  }).toThrow(TypeError)
  // Another text, or the same text under another name (messages carry it), compiles anew.
  const edited = loadSpec(SPEC.replace('maxLength: 8', 'maxLength: 2'), 'pets.yaml', cache)
  const renamed = loadSpec(SPEC, 'other-pets.yaml', cache)
  if (!edited.ok || !renamed.ok) throw new Error('the test spec does not load')
  expect(edited.value).not.toBe(first.value)
  expect(renamed.value.spec.source).toBe('other-pets.yaml')
  expect(updatePet(edited.value, '7', { name: 'Rex' }).violations.map((v) => v.keyword)).toEqual([
    'maxLength',
  ])
})

test('remembers a text a validator accepted, for this validator and these bytes only', () => {
  const cache = new CompileCache()
  const validate = compileJsonSchema({ type: 'object', required: ['id'] }, {}, cache)
  expect(cache.accepted(validate, 'id: 1\n')).toBe(false)
  cache.accept(validate, 'id: 1\n')
  expect(cache.accepted(validate, 'id: 1\n')).toBe(true)
  expect(cache.accepted(validate, 'id: 2\n')).toBe(false)
  // The same schema through the same cache is the same validator.
  expect(compileJsonSchema({ type: 'object', required: ['id'] }, {}, cache)).toBe(validate)
})

// Defects of every kind the load reports: a format name written as a pattern (repaired), an
// example its own schema refuses, a response body without a schema.
const FLAWED_SPEC = `openapi: 3.0.3
info: { title: Devices, version: '1' }
servers: [{ url: /devices/v1 }]
paths:
  /devices:
    post:
      operationId: addDevice
      requestBody:
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Device' }
            example: { deviceId: 42 }
      responses:
        '201':
          description: added
          content:
            application/json: {}
components:
  schemas:
    Device:
      type: object
      required: [deviceId]
      properties:
        deviceId: { type: string, pattern: uuid }
`

test("takes a built-in spec's review, reference, pattern and example verdicts from the build for the same bytes", () => {
  const fresh = loadSpec(FLAWED_SPEC, 'devices.yaml')
  if (!fresh.ok) throw new Error('the flawed spec does not load')
  expect(fresh.value.warnings.map((warning) => warning.pointer)).toEqual([
    '/components/schemas/Device/properties/deviceId/pattern',
    '/paths/~1devices/post/requestBody/content/application~1json/example',
    '/paths/~1devices/post/responses/201/content/application~1json',
  ])
  const recording = new CompileCache({ record: true })
  if (!loadSpec(FLAWED_SPEC, 'devices.yaml', recording).ok) throw new Error('no recording')
  const recorded = recording.recorded()
  expect([...recorded.checkedSpecs.keys()]).toEqual([
    `${createHash('sha256').update(FLAWED_SPEC).digest('hex')}|tolerant`,
  ])

  // Under another name, as the bin names its files: the same warnings, lines and repairs.
  const cached = loadSpec(
    FLAWED_SPEC,
    'spec/devices.yaml',
    new CompileCache({ precompiled: toCache(recorded) }),
  )
  if (!cached.ok) throw new Error('the cached spec does not load')
  expect(cached.value.warnings).toEqual(
    fresh.value.warnings.map((warning) => ({ ...warning, source: 'spec/devices.yaml' })),
  )
  const { lineOf: _lineOf, ...described } = fresh.value.spec
  expect(cached.value.spec).toMatchObject({ ...described, source: 'spec/devices.yaml' })
  expect(cached.value.spec.lineOf('/paths/~1devices/post')).toBe(
    fresh.value.spec.lineOf('/paths/~1devices/post'),
  )
  const request = (body: unknown) => sendJson(cached.value, 'addDevice', body)
  // The repaired `format: uuid`: a UUID passes, "uuid" itself does not.
  expect(request({ deviceId: '0b7c2f4e-9d1a-4c3b-8e6f-5a2d7c9e1b30' }).violations).toEqual([])
  expect(request({ deviceId: 'uuid' }).violations.map((v) => v.keyword)).toEqual(['format'])

  // The verdicts are the build's, not checked again: a marked one comes back as marked.
  const marked = new Map(
    [...recorded.checkedSpecs].map(([key, json]) => [
      key,
      json.replace('this example does not validate', 'MARKED'),
    ]),
  )
  const fromMarked = loadSpec(
    FLAWED_SPEC,
    'devices.yaml',
    new CompileCache({ precompiled: toCache({ ...recorded, checkedSpecs: marked }) }),
  )
  expect(fromMarked.ok && fromMarked.value.warnings[1]?.message).toMatch(/^MARKED/)
})

test("checks in full a spec whose bytes or reading the build did not load, as a user's --spec", () => {
  const recording = new CompileCache({ record: true })
  loadSpec(FLAWED_SPEC, 'devices.yaml', recording)
  const recorded = recording.recorded()
  const marked = new Map(
    [...recorded.checkedSpecs].map(([key, json]) => [
      key,
      json.replaceAll('"message":"', '"message":"MARKED '),
    ]),
  )
  const cache = new CompileCache({
    precompiled: toCache({ ...recorded, checkedSpecs: marked }),
  })
  const edited = FLAWED_SPEC.replace('title: Devices', "title: 'My devices'")
  for (const loaded of [
    loadSpec(edited, 'devices.yaml', cache),
    loadSpec(FLAWED_SPEC, 'devices.yaml', cache, 'literal'),
  ]) {
    if (!loaded.ok) throw new Error('the spec does not load')
    expect(loaded.value.warnings).toHaveLength(3)
    expect(loaded.value.warnings.map((warning) => warning.message).join('\n')).not.toMatch(/MARKED/)
  }
  // A broken file is refused as ever, whatever the cache holds.
  const broken = loadSpec(
    FLAWED_SPEC.replace("$ref: '#/components/schemas/Device'", "$ref: '#/components/schemas/Gone'"),
    'devices.yaml',
    cache,
  )
  expect(broken.ok).toBe(false)
})
