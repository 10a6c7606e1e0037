import http from 'node:http'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, test } from 'vitest'
import type { RunningSimulator, Simulator } from '../../src/app/index.js'
import {
  deref,
  findResponse,
  isObject,
  mediaTypeOf,
  validateResponse,
  type CompiledOperation,
  type JsonObject,
} from '../../src/contract/index.js'
import { SCENARIO_HEADER } from '../../src/scenario/index.js'
import { registerDevice } from '../support/register-device.js'
import { schemaArbitrary, type KnownValues } from '../support/schema-arbitrary.js'
import { ALICE, BOB, startSimulator, tokenFor } from '../support/start-simulator.js'

/**
 * Property-based fuzzing of every operation of every face and the control API, against a real
 * server on 127.0.0.1 (issue 16, item 10). The operations come from the loaded specs, so a new
 * operation is fuzzed without touching this file. Each run draws a request that is valid by the
 * spec, at a boundary, or broken on purpose, sends it, and holds callsim to its contract.
 *
 * Every operation first gets SWEEP_RUNS requests of its own, so that none goes unfuzzed however
 * short the budget; the rest of the budget draws operations at random.
 *
 * Reproduce a failure with the seed it prints: CALLSIM_FUZZ_SEED=<seed> npx vitest run test/fuzz
 * Fuzz longer: CALLSIM_FUZZ_RUNS=20000 CALLSIM_FUZZ_MS=300000 (runs and milliseconds).
 */

const SEED = Number(process.env.CALLSIM_FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff))
const RUNS = Number(process.env.CALLSIM_FUZZ_RUNS ?? 1500)
// 3 s: the sweep covers every operation whatever the budget, and each run draws a new seed,
// so the suite's runs add up to far more; the budget is CPU the whole loop waits for.
const TIME_LIMIT_MS = Number(process.env.CALLSIM_FUZZ_MS ?? 3_000)
const SWEEP_RUNS = 3
const VERBOSE = process.env.CALLSIM_FUZZ_VERBOSE !== undefined
const RESPONSE_LIMIT_MS = 1000
const BODY_LIMIT_BYTES = 64 * 1024
const WEBSITE = 'sip:website@shop.example.com'
/** Answers that belong to HTTP itself and may come from any route (docs/errors.md). */
const PROTOCOL_STATUSES = new Set([404, 405, 413, 415, 431])

interface Target {
  readonly faceId: string
  readonly basePath: string
  readonly document: JsonObject
  readonly operation: CompiledOperation
}

type Body =
  | { readonly kind: 'none' }
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'text'; readonly text: string }

interface FuzzRequest {
  readonly target: Target
  readonly method: string
  readonly pathSegments: readonly string[]
  readonly query: readonly (readonly [string, string])[]
  readonly headers: readonly (readonly [string, string])[]
  readonly auth: 'token' | 'none' | 'garbage' | 'no-scope'
  readonly subject: string
  readonly contentType: string | undefined
  readonly body: Body
  readonly chunked: boolean
}

interface Answer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly text: string
  readonly ms: number
}

let simulator: Simulator
let running: RunningSimulator
const learnt = new Set<string>()
const known: KnownValues = { strings: () => [...learnt] }

beforeAll(async () => {
  simulator = startSimulator({ bodyLimitBytes: BODY_LIMIT_BYTES })
  running = await simulator.listen()
  const registrationId = await registerDevice(simulator, ALICE)
  for (const value of [ALICE, BOB, WEBSITE, registrationId, 'sales', '+15550009']) learnt.add(value)
  // Scenarios that delay (latency faults) wait on the virtual clock by design; every other
  // scenario, faults included, is fair game.
  for (const scenario of simulator.scenarios.list())
    if (scenario.faults.every((rule) => rule.delay === undefined)) learnt.add(scenario.id)
})

afterAll(async () => {
  await running?.close()
  simulator?.dispose()
})

/** Every operation of every mounted face, the control API's included, as the specs list them. */
function targets(): Target[] {
  return simulator.faces.flatMap((face) =>
    [...face.spec.operations.values()].map((operation) => ({
      faceId: face.id,
      basePath: face.basePath,
      document: face.spec.spec.document,
      operation,
      // A counterexample names the operation rather than printing its compiled validators.
      [fc.toStringMethod]: () => `${face.id} ${operation.operationId}`,
    })),
  )
}

const ODD_SEGMENTS = [
  '',
  '%00',
  '.',
  '..',
  '%2F',
  '%2e%2e',
  '__proto__',
  'constructor',
  '%E2%98%8E',
  '%E0%A4%A',
  '-1',
  '1e400',
  '%20',
  encodeURIComponent('x\u0000y'),
  'a'.repeat(300),
  'A'.repeat(5000),
]
const ODD_VALUES = ['', '1e400', '-1', 'NaN', '0x10', '9'.repeat(400), '\u0000', '__proto__', '[]']
const HOSTILE_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  [],
  {},
  'x'.repeat(100_000),
  'nul\u0000byte',
  '\u202e\ud83d\udcde\u0301\uffff',
  { ['__proto__']: { polluted: true } },
]
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/merge-patch+json',
  'application/json, text/plain',
  'multipart/form-data; boundary=x',
]
const RAW_BODIES = [
  '',
  '{',
  '{"a":',
  'nul',
  '\u0000',
  '[]',
  '"text"',
  '1e400',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"a":1,"a":2}',
  '\ufeff{}',
  `${'['.repeat(100_000)}`,
  `{"x":"${'\\u0000'.repeat(1000)}"}`,
]
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'TRACE', 'PROPFIND']

/** A JSON value nested `depth` levels, as arrays or objects. */
function nest(depth: number, asArray: boolean): unknown {
  let value: unknown = 1
  for (let level = 0; level < depth; level += 1) value = asArray ? [value] : { a: value }
  return value
}

/** A valid value changed the way a careless or hostile client changes it. */
function mutate(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', ''),
    fc.string({ maxLength: 8 }),
  )
  return fc.oneof(
    valid.chain((value) => {
      if (!isObject(value) || Object.keys(value).length === 0) return fc.constant(value)
      const keys = Object.keys(value)
      return fc.tuple(fc.constantFrom(...keys), fc.nat(4)).chain(([name, how]) => {
        const copy: Record<string, unknown> = { ...value }
        if (how === 0) {
          delete copy[name]
          return fc.constant(copy)
        }
        const replacement =
          how === 1
            ? fc.constantFrom(...HOSTILE_VALUES)
            : how === 2
              ? fc.string({ unit: 'binary', maxLength: 40 })
              : how === 3
                ? fc.constantFrom(...[10, 63, 64, 65, 500]).map((depth) => nest(depth, false))
                : fc.jsonValue({ maxDepth: 3 })
        return replacement.map((changed) => ({ ...copy, [name]: changed }))
      })
    }),
    fc
      .tuple(valid, key, fc.jsonValue({ maxDepth: 2 }))
      .map(([value, name, extra]) => (isObject(value) ? { ...value, [name]: extra } : value)),
    fc.constantFrom(...HOSTILE_VALUES),
    fc.constantFrom(10, 64, 65, 2000).chain((depth) => fc.boolean().map((a) => nest(depth, a))),
  )
}

function bodyArbitrary(target: Target): fc.Arbitrary<{ body: Body; contentType?: string }> {
  const declared = target.operation.raw.requestBody
  const requestBody = deref(target.document, declared).value
  const content = isObject(requestBody) && isObject(requestBody.content) ? requestBody.content : {}
  const mediaTypes = Object.keys(content)
  const media = content[mediaTypes[0] ?? 'application/json']
  const schema = isObject(media) ? media.schema : undefined
  const valid =
    schema === undefined ? fc.constant({}) : schemaArbitrary(target.document, schema, known)
  const contentType = fc.oneof(
    {
      weight: 8,
      arbitrary: fc.constantFrom(...(mediaTypes.length > 0 ? mediaTypes : ['application/json'])),
    },
    { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  )
  const body: fc.Arbitrary<Body> = fc.oneof(
    { weight: 6, arbitrary: valid.map((value): Body => ({ kind: 'json', value })) },
    { weight: 4, arbitrary: mutate(valid).map((value): Body => ({ kind: 'json', value })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...RAW_BODIES).map((text): Body => ({ kind: 'text', text })),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: 'binary' }).map((text): Body => ({ kind: 'text', text })),
    },
    { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
  )
  return fc.record({ body, contentType }, { requiredKeys: ['body'] })
}

function parameterValue(target: Target, schema: unknown): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: schemaArbitrary(target.document, schema, known).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(...ODD_VALUES) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  )
}

/** The declared parameters with their schemas: the operation's own and its path's. */
function parameterSchemas(target: Target): Map<string, unknown> {
  const paths = isObject(target.document.paths) ? target.document.paths : {}
  const pathItem = paths[target.operation.pathTemplate]
  const lists = [
    isObject(pathItem) ? pathItem.parameters : undefined,
    target.operation.raw.parameters,
  ]
  const schemas = new Map<string, unknown>()
  for (const list of lists)
    for (const entry of Array.isArray(list) ? list : []) {
      const parameter = deref(target.document, entry).value
      if (isObject(parameter))
        schemas.set(`${String(parameter.in)}:${String(parameter.name)}`, parameter.schema)
    }
  return schemas
}

function requestArbitrary(target: Target): fc.Arbitrary<FuzzRequest> {
  const { operation } = target
  const schemas = parameterSchemas(target)
  const schemaOf = (where: string, name: string) => schemas.get(`${where}:${name}`)
  const pathNames = [...operation.pathTemplate.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string)
  const declared = (where: string) => operation.parameters.filter((p) => p.in === where)
  const segment = (name: string) => {
    return fc.oneof(
      {
        weight: 6,
        arbitrary: parameterValue(target, schemaOf('path', name)).map(encodeURIComponent),
      },
      { weight: 2, arbitrary: fc.constantFrom(...ODD_SEGMENTS) },
    )
  }
  const query = fc
    .tuple(
      ...declared('query').map((parameter) =>
        fc.option(
          parameterValue(target, schemaOf('query', parameter.name)).map(
            (value) => [parameter.name, value] as const,
          ),
          { freq: 2 },
        ),
      ),
      fc.option(fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom(...ODD_VALUES))),
    )
    .map((pairs) => pairs.filter((pair): pair is readonly [string, string] => pair !== null))
    .chain((pairs) =>
      // A repeated query parameter, as ?offset=1&offset=2.
      fc.boolean().map((repeat) => (repeat && pairs[0] ? [...pairs, pairs[0]] : pairs)),
    )
  const headerParameters = fc.tuple(
    ...declared('header').map((parameter) =>
      fc.option(
        parameterValue(target, schemaOf('header', parameter.name)).map(
          (value) => [parameter.name, value] as const,
        ),
        { freq: 5 },
      ),
    ),
  )
  const extraHeaders = fc.array(
    fc.oneof(
      fc
        .constantFrom('x-correlator', SCENARIO_HEADER, 'origin', 'content-type', 'authorization')
        .chain((name) =>
          parameterValue(target, { type: 'string' }).map((value) => [name, value] as const),
        ),
      fc.constantFrom(...ODD_VALUES).map((value) => [SCENARIO_HEADER, value] as const),
    ),
    { maxLength: 2 },
  )
  return fc
    .record({
      target: fc.constant(target),
      method: fc.oneof(
        { weight: 9, arbitrary: fc.constant(operation.method.toUpperCase()) },
        { weight: 1, arbitrary: fc.constantFrom(...METHODS) },
      ),
      pathSegments: fc.tuple(...pathNames.map(segment)),
      query,
      headers: fc
        .tuple(headerParameters, extraHeaders)
        .map(([declaredHeaders, extra]) => [
          ...declaredHeaders.filter((pair): pair is readonly [string, string] => pair !== null),
          ...extra,
        ]),
      auth: fc.constantFrom('token', 'token', 'token', 'token', 'none', 'garbage', 'no-scope'),
      subject: fc.constantFrom(ALICE, ALICE, BOB, WEBSITE),
      contentType: fc.constant(undefined),
      body: fc.constant<Body>({ kind: 'none' }),
      chunked: fc.boolean(),
    })
    .chain((request) =>
      bodyArbitrary(target).map(({ body, contentType }) => ({ ...request, body, contentType })),
    )
}

async function send(request: FuzzRequest): Promise<Answer> {
  const { target } = request
  let segment = 0
  const path = target.operation.pathTemplate.replace(
    /\{[^}]+\}/g,
    () => request.pathSegments[segment++] ?? '',
  )
  const query = request.query
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&')
  const url = `${target.basePath}${path}${query === '' ? '' : `?${query}`}`
  const headers: string[] = ['host', new URL(running.url).host]
  if (request.auth !== 'none') {
    const token =
      request.auth === 'garbage'
        ? 'not.a.jwt'
        : await tokenFor(
            simulator,
            request.subject,
            request.auth === 'no-scope' ? 'none' : undefined,
          )
    headers.push('authorization', `Bearer ${token}`)
  }
  for (const [name, value] of request.headers) headers.push(name, toHeaderValue(value))
  let payload: Buffer | undefined
  if (request.body.kind !== 'none') {
    payload = Buffer.from(
      request.body.kind === 'json' ? (JSON.stringify(request.body.value) ?? '') : request.body.text,
    )
    if (request.contentType !== undefined) headers.push('content-type', request.contentType)
    // Node's client frames a GET body only when told how, else the body's bytes would read
    // as a second, broken request on the connection.
    if (request.chunked) headers.push('transfer-encoding', 'chunked')
    else headers.push('content-length', String(payload.length))
  }
  const started = performance.now()
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = http.request(
      {
        host: '127.0.0.1',
        port: new URL(running.url).port,
        method: request.method,
        path: url,
        headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = []
        const answer = () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          })
        // The control API's change stream never ends by design: its first frame is its answer.
        const streaming = mediaTypeOf(response.headers['content-type']) === 'text/event-stream'
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk)
          if (streaming) {
            answer()
            outgoing.destroy()
          }
        })
        response.on('error', reject)
        response.on('end', answer)
      },
    )
    outgoing.setTimeout(5000, () => outgoing.destroy(new Error('no answer within 5 s')))
    outgoing.on('error', reject)
    if (payload !== undefined && request.chunked) {
      const half = Math.floor(payload.length / 2)
      outgoing.write(payload.subarray(0, half))
      outgoing.end(payload.subarray(half))
    } else {
      outgoing.end(payload)
    }
  })
}

/** Header values travel as Latin-1 without line breaks; anything else is sent as UTF-8 bytes. */
function toHeaderValue(value: string): string {
  return Buffer.from(value.replace(/[\r\n]/g, ' ').replaceAll('\u0000', ' '), 'utf8').toString(
    'latin1',
  )
}

/** Ids in a 2xx body are what later requests may name: they join the known values. */
function learnFrom(value: unknown, depth = 0): void {
  if (depth > 4 || learnt.size > 200) return
  if (Array.isArray(value)) value.slice(0, 5).forEach((item) => learnFrom(item, depth + 1))
  else if (isObject(value))
    for (const [name, member] of Object.entries(value)) {
      if (typeof member === 'string' && /id$/i.test(name) && member.length < 200) learnt.add(member)
      else learnFrom(member, depth + 1)
    }
}

/** The journal entry the request left, if it reached callsim's pipeline. */
function journalEntryAfter(totalBefore: number) {
  const log = simulator.journal.requests
  if (log.total === totalBefore) return undefined
  return log.toArray().at(-1)
}

function operationOf(faceId: string | undefined, operationId: string | undefined) {
  const face = simulator.faces.find((candidate) => candidate.id === faceId)
  return operationId === undefined ? undefined : face?.spec.operations.get(operationId)
}

/** Why a request's answer breaks callsim's promises, or undefined when it keeps them. */
async function check(request: FuzzRequest): Promise<string | undefined> {
  const totalBefore = simulator.journal.requests.total
  let answer: Answer
  try {
    answer = await send(request)
  } catch (error) {
    const entry = journalEntryAfter(totalBefore)
    if (entry?.fault !== undefined) return undefined
    return `no answer: ${(error as Error).message}`
  }
  const entry = journalEntryAfter(totalBefore)
  if (entry?.fault !== undefined) return undefined
  if (answer.ms > RESPONSE_LIMIT_MS) return `answered after ${Math.round(answer.ms)} ms`
  if (answer.status >= 500) return `answered ${answer.status}: ${answer.text.slice(0, 300)}`
  const operation = operationOf(entry?.face, entry?.operationId)
  const declared = operation !== undefined && findResponse(operation, answer.status) !== undefined
  // Unrouted requests under /_callsim meet the control plane's guard first: a foreign Origin or
  // Host gets its 403 whatever the route (docs/admin-api.md, "Exposing callsim").
  const guarded = operation === undefined && entry?.face === 'admin' && answer.status === 403
  if (!declared && !PROTOCOL_STATUSES.has(answer.status) && !guarded)
    return `answered ${answer.status}, which ${operation?.operationId ?? 'no route'} does not declare: ${answer.text.slice(0, 300)}`
  const mediaType = mediaTypeOf(answer.headers['content-type'])
  if (request.method === 'HEAD' || mediaType === 'application/javascript') return undefined
  let body: unknown
  if (mediaType === 'text/event-stream') {
    // Checked as callsim checks its own stream: status and content type; the frames are SSE.
    if (!/^(retry|event|data):/.test(answer.text))
      return `opened an event stream that sent no Server-Sent Events frame: ${answer.text.slice(0, 200)}`
    body = ''
  } else if (answer.text !== '') {
    if (mediaType !== 'application/json') return `answered ${mediaType ?? 'no content type'}`
    try {
      body = JSON.parse(answer.text)
    } catch {
      return `answered a body that is not JSON: ${answer.text.slice(0, 200)}`
    }
  }
  if (operation !== undefined && declared) {
    const violations = validateResponse(operation, {
      status: answer.status,
      contentType: answer.headers['content-type'],
      body,
      headers: answer.headers,
    })
    if (violations.length > 0)
      return `answered a body that breaks ${operation.operationId}: ${violations.map((v) => `${v.path}: ${v.message}`).join('; ')}`
  }
  if (answer.status < 300) learnFrom(body)
  if (VERBOSE) tally(`${entry?.operationId ?? 'unrouted'} ${answer.status}`)
  return undefined
}

const tallies = new Map<string, number>()
function tally(key: string): void {
  tallies.set(key, (tallies.get(key) ?? 0) + 1)
}

/** The server still answers a plain request promptly. */
async function stillAnswers(): Promise<string | undefined> {
  const started = performance.now()
  const status = await new Promise<number>((resolve) => {
    const probe = http.get(`${running.url}/_callsim/clock`, { agent: false }, (response) => {
      response.resume()
      response.on('end', () => resolve(response.statusCode ?? 0))
    })
    probe.setTimeout(5000, () => probe.destroy())
    probe.on('error', () => resolve(0))
  })
  const ms = performance.now() - started
  return status === 200 && ms < RESPONSE_LIMIT_MS
    ? undefined
    : `the server stopped answering: GET /_callsim/clock gave ${status} after ${Math.round(ms)} ms`
}

test(
  'every operation of every face keeps its contract under valid, boundary and hostile requests',
  async () => {
    const all = targets()
    // The control API and every face are there, taken from the specs.
    expect(new Set(all.map((target) => target.faceId)).size).toBe(simulator.faces.length)
    expect(all.map((target) => target.operation.operationId)).toEqual(
      expect.arrayContaining(['createSession', 'startCall', 'listSessions', 'createToken']),
    )
    const perTarget = all.map(requestArbitrary)
    const fuzzed = new Set<Target>()
    let runs = 0
    const holdsItsContract = async (request: FuzzRequest): Promise<void> => {
      runs += 1
      fuzzed.add(request.target)
      const problem = (await check(request)) ?? (await stillAnswers())
      if (problem !== undefined) {
        const { target, method, pathSegments } = request
        throw new Error(
          `${method} ${target.faceId} ${target.operation.operationId} [${pathSegments.join(', ')}]: ${problem}`,
        )
      }
    }
    const started = performance.now()
    const options = {
      seed: SEED,
      endOnFailure: true,
      includeErrorInReport: true,
    } as const
    try {
      // The sweep: every operation, a few requests each.
      for (const arbitrary of perTarget)
        await fc.assert(fc.asyncProperty(arbitrary, holdsItsContract), {
          ...options,
          numRuns: SWEEP_RUNS,
        })
      // The rest of the budget: operations drawn at random. On a busy machine the sweep may take
      // it all; fast-check fails a property interrupted before its first run, so the random
      // draws need a second at least.
      const left = TIME_LIMIT_MS - (performance.now() - started)
      if (left >= 1_000)
        await fc.assert(
          fc.asyncProperty(
            fc.nat(all.length - 1).chain((index) => perTarget[index]!),
            holdsItsContract,
          ),
          {
            ...options,
            numRuns: RUNS,
            interruptAfterTimeLimit: left,
            markInterruptAsFailure: false,
          },
        )
    } catch (failure) {
      throw new Error(
        `Fuzzing failed with seed ${SEED}; reproduce with CALLSIM_FUZZ_SEED=${SEED} npx vitest run test/fuzz\n${(failure as Error).message}`,
      )
    }
    expect(fuzzed.size).toBe(all.length)
    if (VERBOSE)
      console.log(
        [...tallies]
          .sort()
          .map(([key, count]) => `${key}: ${count}`)
          .join('\n'),
      )
    // Bounded by time, the run must still have covered a fair share of requests.
    expect(runs).toBeGreaterThan(100)
  },
  TIME_LIMIT_MS + 30_000,
)
