import { expect, test } from 'vitest'
import {
  formatSpecProblem,
  loadSpec,
  validateRequest,
  validateResponse,
  type CompiledOperation,
  type CompiledSpec,
} from '../../../src/contract/index.js'

function compile(text: string, source = 'spec/inline.yaml'): CompiledSpec {
  const result = loadSpec(text, source)
  if (!result.ok) throw new Error(result.error.map(formatSpecProblem).join('\n'))
  return result.value
}

function operation(spec: CompiledSpec, operationId: string): CompiledOperation {
  const found = spec.operations.get(operationId)
  if (!found) throw new Error(`no operation ${operationId}`)
  return found
}

const request = (body: unknown) => ({
  pathParams: {},
  query: {},
  headers: {},
  hasBody: body !== undefined,
  contentType: body === undefined ? undefined : 'application/json',
  body,
})

const response = (status: number, body: unknown) => ({
  status,
  contentType: 'application/json',
  body,
  headers: {},
})

// A small document in each dialect with the same shape: a Pet whose id the server assigns
// (readOnly), whose password only the client sends (writeOnly) and whose tag may be null.
const PET_30 = `openapi: 3.0.3
info: {title: pets, version: '1'}
servers: [{url: /pets/v1}]
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [id, name, password]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, maxLength: 10, example: Rex}
        password: {type: string, writeOnly: true}
        tag: {type: string, nullable: true}
        kind: {type: string, enum: [cat, dog], nullable: true}
`

const PET_31 = `openapi: 3.1.0
info: {title: pets, version: '1'}
servers: [{url: /pets/v1}]
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '201':
          description: created
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      type: object
      required: [id, name, password]
      properties:
        id: {type: string, readOnly: true}
        name: {type: string, maxLength: 10, examples: [Rex]}
        password: {type: string, writeOnly: true}
        tag: {type: [string, 'null']}
        kind: {enum: [cat, dog, null]}
        age: {type: integer, exclusiveMinimum: 0}
`

test('accepts OpenAPI 3.1 and validates with JSON Schema 2020-12 semantics', () => {
  const spec = compile(PET_31)
  expect(spec.spec.dialect).toBe('3.1')
  const createPet = operation(spec, 'createPet')
  expect(
    validateRequest(
      createPet,
      request({ name: 'Rex', password: 's3cret', tag: null, kind: null, age: 3 }),
    ).violations,
  ).toEqual([])
  // 3.1 exclusiveMinimum is a number, not the boolean modifier of 3.0.
  expect(
    validateRequest(createPet, request({ name: 'Rex', password: 's', age: 0 })).violations.map(
      (v) => v.keyword,
    ),
  ).toEqual(['exclusiveMinimum'])
})

test.each([
  ['3.0', PET_30],
  ['3.1', PET_31],
])('OpenAPI %s: a readOnly property is required in responses only', (_dialect, text) => {
  const createPet = operation(compile(text), 'createPet')
  // The client cannot know the id yet, so the request is valid without it.
  expect(
    validateRequest(createPet, request({ name: 'Rex', password: 's3cret' })).violations,
  ).toEqual([])
  expect(validateResponse(createPet, response(201, { name: 'Rex' })).map((v) => v.message)).toEqual(
    ['id is required'],
  )
})

test.each([
  ['3.0', PET_30],
  ['3.1', PET_31],
])('OpenAPI %s: a writeOnly property is required in requests only', (_dialect, text) => {
  const createPet = operation(compile(text), 'createPet')
  expect(validateResponse(createPet, response(201, { id: 'p1', name: 'Rex' }))).toEqual([])
  expect(
    validateRequest(createPet, request({ name: 'Rex' })).violations.map((v) => v.message),
  ).toEqual(['password is required'])
})

test('OpenAPI 3.0: nullable lets a property be null, enums included', () => {
  const createPet = operation(compile(PET_30), 'createPet')
  expect(
    validateRequest(createPet, request({ name: 'Rex', password: 's', tag: null, kind: null }))
      .violations,
  ).toEqual([])
  expect(
    validateRequest(createPet, request({ name: 'Rex', password: 's', tag: 5 })).violations.map(
      (v) => v.message,
    ),
  ).toEqual(['tag must be of type string,null'])
  expect(
    validateRequest(createPet, request({ name: null, password: 's' })).violations.map(
      (v) => v.message,
    ),
  ).toEqual(['name must be of type string'])
})

test('ignores example and examples, which are annotations', () => {
  const createPet = operation(compile(PET_30), 'createPet')
  expect(validateRequest(createPet, request({ name: 'Max', password: 's' })).violations).toEqual([])
})

test('compiles parameters, bodies and every declared response once, keyed by status and media type', () => {
  const spec = compile(PET_30)
  const createPet = operation(spec, 'createPet')
  expect(createPet).toMatchObject({
    operationId: 'createPet',
    method: 'POST',
    pathTemplate: '/pets',
  })
  expect(createPet.requestBody?.required).toBe(true)
  expect([...(createPet.requestBody?.content.keys() ?? [])]).toEqual(['application/json'])
  expect([...createPet.responses.keys()]).toEqual(['201'])
  expect(typeof createPet.responses.get('201')?.content.get('application/json')).toBe('function')
  expect(spec.index.match('POST', '/pets')).toMatchObject({ kind: 'matched', target: createPet })
})

test('does not change the document it was given', () => {
  const spec = compile(PET_30)
  const schemas = (
    spec.spec.document.components as {
      schemas: { Pet: { required: string[]; properties: { tag: object } } }
    }
  ).schemas
  expect(schemas.Pet.required).toEqual(['id', 'name', 'password'])
  expect(schemas.Pet.properties.tag).toEqual({ type: 'string', nullable: true })
})
