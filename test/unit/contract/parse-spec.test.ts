import { expect, test } from 'vitest'
import {
  formatSpecProblem,
  loadSpec,
  parseSpec,
  parseYamlSource,
  type SpecProblem,
} from '../../../src/contract/index.js'

/** The problems of a spec, formatted as start-up prints them. */
function problemsOf(text: string, source = 'spec/test.yaml'): string[] {
  const result = loadSpec(text, source)
  if (result.ok) throw new Error(`expected ${source} to be refused`)
  return result.error.map(formatSpecProblem)
}

const MINIMAL = `openapi: 3.0.3
info:
  title: Minimal
  version: '1'
servers:
  - url: '{apiRoot}/minimal/v1'
    variables:
      apiRoot:
        default: http://localhost:9091
paths:
  /items:
    get:
      operationId: listItems
      responses:
        '200':
          description: ok
`

test('loads a minimal OpenAPI 3.0 document and mounts it at the path of its servers URL', () => {
  const result = parseSpec(MINIMAL, 'spec/minimal.yaml')
  expect(result.ok).toBe(true)
  if (!result.ok) return
  expect(result.value).toMatchObject({
    source: 'spec/minimal.yaml',
    dialect: '3.0',
    title: 'Minimal',
    version: '1',
    basePath: '/minimal/v1',
  })
})

test('reads the base path from absolute, relative and missing servers URLs', () => {
  const basePath = (servers: string): string => {
    const result = parseSpec(
      MINIMAL.replace(/servers:[\s\S]*?paths:/, `${servers}\npaths:`),
      'spec/x.yaml',
    )
    if (!result.ok) throw new Error(result.error.map(formatSpecProblem).join('\n'))
    return result.value.basePath
  }
  expect(basePath("servers:\n  - url: 'https://api.example.com/camara/webrtc/v1/'")).toBe(
    '/camara/webrtc/v1',
  )
  expect(basePath("servers:\n  - url: '/relative/v2'")).toBe('/relative/v2')
  expect(basePath('servers: []')).toBe('')
  expect(basePath('')).toBe('')
})

test('reads JSON as well as YAML', () => {
  const json = JSON.stringify({ openapi: '3.0.3', info: { title: 'J', version: '1' }, paths: {} })
  expect(parseSpec(json, 'spec/j.json').ok).toBe(true)
})

test('names the file and the line of broken YAML', () => {
  const text = `openapi: 3.0.3
info:
  title: x
  version: '1'
paths:
  /a: [
`
  expect(problemsOf(text, 'spec/broken.yaml')).toEqual([
    'spec/broken.yaml:7: not valid YAML or JSON: Flow sequence in block collection must be sufficiently indented and end with a ] at line 7, column 1',
  ])
})

test('refuses duplicate keys, which YAML parsers would otherwise silently merge', () => {
  expect(
    problemsOf(
      "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\npaths: {}\n",
      'spec/dup.yaml',
    ),
  ).toEqual([
    'spec/dup.yaml:4: not valid YAML or JSON: Map keys must be unique at line 4, column 1',
  ])
})

test('says a document that is not an object is not OpenAPI', () => {
  expect(problemsOf('just a string', 'spec/s.yaml')).toEqual([
    'spec/s.yaml: not an OpenAPI document: expected a YAML or JSON object at the top',
  ])
  expect(problemsOf('', 'spec/empty.yaml')).toEqual([
    'spec/empty.yaml: not an OpenAPI document: expected a YAML or JSON object at the top',
  ])
})

test('reports every problem of a file that is not OpenAPI at all, not only the first', () => {
  expect(problemsOf('name: my-service\nport: 8080\n', 'spec/config.yaml')).toEqual([
    'spec/config.yaml:1 at /openapi: not an OpenAPI 3 document: the "openapi" version field is missing',
    'spec/config.yaml:1 at /info: the "info" object is missing',
    'spec/config.yaml:1 at /paths: the "paths" object is missing, so there is nothing to serve',
  ])
})

test('tells a Swagger 2.0 author to convert the file', () => {
  expect(
    problemsOf("swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n", 'spec/swagger.yaml'),
  ).toEqual([
    'spec/swagger.yaml:1 at /openapi: not an OpenAPI 3 document: the "openapi" version field is missing (Swagger 2.0 is not supported; convert it to OpenAPI 3)',
  ])
})

test('refuses OpenAPI versions it does not read', () => {
  expect(problemsOf("openapi: 3.2.0\ninfo: {title: x, version: '1'}\npaths: {}\n")).toEqual([
    'spec/test.yaml:1 at /openapi: unsupported OpenAPI version "3.2.0"; callsim reads 3.0.x and 3.1.x',
  ])
})

test('refuses a document without paths', () => {
  expect(problemsOf("openapi: 3.0.3\ninfo: {title: x, version: '1'}\ncomponents: {}\n")).toEqual([
    'spec/test.yaml:1 at /paths: the "paths" object is missing, so there is nothing to serve',
  ])
})

test('points at the line of a dangling $ref', () => {
  const text = `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
        '404':
          $ref: '#/components/responses/NotFound'
`
  expect(problemsOf(text)).toEqual([
    'spec/test.yaml:11 at /paths/~1a/get/responses/404: reference "#/components/responses/NotFound" points to nothing in this document',
  ])
})

test('refuses external references with a hint to bundle the spec', () => {
  const text = `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          $ref: 'common.yaml#/components/responses/Ok'
`
  expect(problemsOf(text)).toEqual([
    'spec/test.yaml:9 at /paths/~1a/get/responses/200: external reference "common.yaml#/components/responses/Ok" is not supported; bundle the spec into one file',
  ])
})

test('refuses an operationId used twice and names where it was first used', () => {
  const text = `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      operationId: same
      responses: {'200': {description: ok}}
  /b:
    get:
      operationId: same
      responses: {'200': {description: ok}}
`
  expect(problemsOf(text)).toEqual([
    'spec/test.yaml:10 at /paths/~1b/get: operationId "same" is used twice (first at /paths/~1a/get)',
  ])
})

test('refuses operations without an operationId or responses', () => {
  const text = `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  items:
    get:
      responses: {'200': {description: ok}}
    post:
      operationId: createItem
`
  expect(problemsOf(text)).toEqual([
    'spec/test.yaml:5 at /paths/items: path "items" must start with "/"',
    'spec/test.yaml:6 at /paths/items/get: GET items has no operationId; callsim routes handlers by operationId',
    'spec/test.yaml:8 at /paths/items/post: the operation declares no "responses"',
  ])
})

test('reports a schema ajv cannot compile with its pointer and line', () => {
  const text = `openapi: 3.0.3
info: {title: x, version: '1'}
paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: strin
`
  const problems = problemsOf(text)
  expect(problems).toHaveLength(1)
  expect(problems[0]).toMatch(
    /^spec\/test\.yaml:13 at \/paths\/~1a\/get\/responses\/200\/content\/application~1json\/schema: schema cannot be compiled: .*strin/,
  )
})

test('ignores "$ref" keys inside example values', () => {
  const text = `${MINIMAL}          content:
            application/json:
              schema: {type: object}
              example:
                $ref: not-a-reference
`
  expect(loadSpec(text, 'spec/x.yaml').ok).toBe(true)
})

test('finds the line of a value under a key that looks like a number', () => {
  const source = parseYamlSource("a:\n  '200': x\n  404:\n    b: y\n", 'spec/x.yaml')
  expect(source.ok).toBe(true)
  if (!source.ok) return
  expect(source.value.lineOf('/a/200')).toBe(2)
  expect(source.value.lineOf('/a/404/b')).toBe(4)
  expect(source.value.lineOf('/a/404/missing')).toBe(4)
  expect(source.value.lineOf('')).toBe(1)
})

test('keeps each problem as data with its source, pointer and line', () => {
  const result = parseSpec("openapi: 3.0.3\ninfo: {title: x, version: '1'}\n", 'spec/p.yaml')
  expect(result.ok).toBe(false)
  if (result.ok) return
  expect(result.error).toEqual<SpecProblem[]>([
    {
      source: 'spec/p.yaml',
      pointer: '/paths',
      line: 1,
      message: 'the "paths" object is missing, so there is nothing to serve',
    },
  ])
})
