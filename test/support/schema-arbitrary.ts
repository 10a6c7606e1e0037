import fc from 'fast-check'
import { deref, isObject } from '../../src/contract/index.js'

/**
 * Values known to the running simulator (the caller's address, a registrationId, ids of calls
 * made so far): a generated string that one of them fits is often that value, so generated
 * requests reach past "not found" and "not your session" into the handlers.
 */
export interface KnownValues {
  strings(): readonly string[]
}

/** Where generated URLs point: a loopback port nothing listens on, so no callback leaves the host. */
const CLOSED_SINK = 'https://127.0.0.1:1/callsim-fuzz'

const MAX_DEPTH = 6

/**
 * A fast-check arbitrary of values valid against an OpenAPI (3.0 or 3.1) schema, or nearly so:
 * it follows `$ref`, `allOf`, `oneOf`, `anyOf`, enums, patterns (fc.stringMatching), lengths
 * and ranges. Where it cannot be exact (a pattern fast-check cannot generate, a length a
 * pattern fights) the value may be invalid, which the server must then refuse with a 400:
 * the fuzz test holds either way.
 */
export function schemaArbitrary(
  document: unknown,
  schema: unknown,
  known: KnownValues,
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = deref(document, schema).value
  if (!isObject(resolved) || depth > MAX_DEPTH) return fc.constant({})
  const nullable = resolved.nullable === true
  const value = nonNullArbitrary(document, resolved, known, depth)
  return nullable ? fc.oneof({ weight: 9, arbitrary: value }, fc.constant(null)) : value
}

function nonNullArbitrary(
  document: unknown,
  schema: Record<string, unknown>,
  known: KnownValues,
  depth: number,
): fc.Arbitrary<unknown> {
  const below = (sub: unknown) => schemaArbitrary(document, sub, known, depth + 1)
  if ('const' in schema) return fc.constant(schema.const)
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return fc.constantFrom(...schema.enum)
  if (Array.isArray(schema.allOf)) return allOfArbitrary(document, schema, known, depth)
  const choices = Array.isArray(schema.oneOf) ? schema.oneOf : schema.anyOf
  if (Array.isArray(choices) && choices.length > 0) return fc.oneof(...choices.map(below))
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  switch (type) {
    case 'string':
      return stringArbitrary(schema, known)
    case 'integer':
    case 'number':
      return numberArbitrary(schema, type === 'integer')
    case 'boolean':
      return fc.boolean()
    case 'array':
      return fc.array(below(schema.items), {
        minLength: typeof schema.minItems === 'number' ? schema.minItems : 0,
        maxLength: Math.min(typeof schema.maxItems === 'number' ? schema.maxItems : 3, 3),
      })
    case 'null':
      return fc.constant(null)
    default:
      return objectArbitrary(document, schema, known, depth)
  }
}

function objectArbitrary(
  document: unknown,
  schema: Record<string, unknown>,
  known: KnownValues,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties = isObject(schema.properties) ? schema.properties : {}
  const required = Array.isArray(schema.required) ? schema.required.map(String) : []
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, property] of Object.entries(properties)) {
    model[name] = /sink|url|uri/i.test(name)
      ? fc.constant(CLOSED_SINK)
      : schemaArbitrary(document, property, known, depth + 1)
  }
  return fc.record(model, { requiredKeys: required.filter((name) => name in model) })
}

/** allOf: the members' properties and requirements merged into one object schema. */
function allOfArbitrary(
  document: unknown,
  schema: Record<string, unknown>,
  known: KnownValues,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties: Record<string, unknown> = {}
  const required: unknown[] = []
  for (const member of [schema, ...(schema.allOf as unknown[])]) {
    const resolved = deref(document, member).value
    if (!isObject(resolved)) continue
    if (isObject(resolved.properties)) Object.assign(properties, resolved.properties)
    if (Array.isArray(resolved.required)) required.push(...resolved.required)
    if (!isObject(resolved.properties) && resolved !== schema && !('allOf' in resolved)) {
      return schemaArbitrary(document, resolved, known, depth + 1)
    }
  }
  return objectArbitrary(document, { type: 'object', properties, required }, known, depth)
}

function stringArbitrary(
  schema: Record<string, unknown>,
  known: KnownValues,
): fc.Arbitrary<string> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : 64
  const pattern = typeof schema.pattern === 'string' ? safeRegExp(schema.pattern) : undefined
  const fits = (value: string) =>
    value.length >= minLength && value.length <= maxLength && (!pattern || pattern.test(value))
  let generated: fc.Arbitrary<string>
  if (schema.format === 'date-time') {
    generated = fc
      .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
      .map((date) => date.toISOString())
  } else if (schema.format === 'uri' || schema.format === 'url') {
    generated = fc.constant(CLOSED_SINK)
  } else if (pattern) {
    generated = fc.stringMatching(pattern).map((value) => value.slice(0, maxLength))
  } else {
    generated = fc.string({ minLength, maxLength: Math.min(maxLength, 64) })
  }
  // Decided when a request is built, so values learnt during the run (new ids) count too.
  const fromKnown = fc.nat().chain((pick) => {
    const candidates = known.strings().filter(fits)
    return candidates.length === 0 ? generated : fc.constant(candidates[pick % candidates.length]!)
  })
  return fc.oneof(generated, fromKnown)
}

/** The spec's pattern as a JavaScript RegExp, or undefined where JavaScript cannot read it. */
function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u')
  } catch {
    try {
      return new RegExp(pattern)
    } catch {
      return undefined
    }
  }
}

function numberArbitrary(schema: Record<string, unknown>, integer: boolean): fc.Arbitrary<number> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : integer ? -1000 : -1e6
  const max = typeof schema.maximum === 'number' ? schema.maximum : integer ? 100_000 : 1e6
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
    : fc.double({ min, max, noNaN: true })
}
