import { isObject, resolvePointer, type JsonObject } from './load-spec.js'
import { toPointer } from './yaml-source.js'

/** Which way a value travels: readOnly fields are only required in responses, writeOnly only in requests. */
export type Direction = 'request' | 'response'

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']
const SCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems']
const SCHEMA_SINGLES = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]

/**
 * Turns the OpenAPI dialect of a whole document into plain JSON Schema for one direction, so
 * that ajv can compile any schema in it by JSON pointer and share `$ref`ed components.
 * OpenAPI 3.0 adds `nullable`, and both versions give readOnly/writeOnly a meaning for
 * `required`; annotations such as `example` are left for ajv to ignore.
 */
export function toJsonSchemaDocument(
  document: JsonObject,
  dialect: '3.0' | '3.1',
  direction: Direction,
): JsonObject {
  const copy = structuredClone(document)
  const convert = (schema: unknown): void =>
    convertSchema(copy, schema, dialect, direction, new Set())
  const components = isObject(copy.components) ? copy.components : {}
  for (const schema of Object.values(isObject(components.schemas) ? components.schemas : {}))
    convert(schema)
  for (const parameter of Object.values(
    isObject(components.parameters) ? components.parameters : {},
  )) {
    if (isObject(parameter)) convert(parameter.schema)
  }
  for (const header of Object.values(isObject(components.headers) ? components.headers : {})) {
    if (isObject(header)) convert(header.schema)
  }
  const visitContent = (holder: unknown): void => {
    if (!isObject(holder)) return
    for (const media of Object.values(isObject(holder.content) ? holder.content : {})) {
      if (isObject(media)) convert(media.schema)
    }
    for (const header of Object.values(isObject(holder.headers) ? holder.headers : {})) {
      if (isObject(header)) convert(header.schema)
    }
  }
  for (const response of Object.values(isObject(components.responses) ? components.responses : {}))
    visitContent(response)
  for (const body of Object.values(
    isObject(components.requestBodies) ? components.requestBodies : {},
  ))
    visitContent(body)
  const visitPathItem = (item: unknown, depth: number): void => {
    if (!isObject(item)) return
    for (const operation of [item, ...Object.values(item)]) {
      if (!isObject(operation)) continue
      for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
        if (isObject(parameter)) convert(parameter.schema)
      }
      visitContent(operation.requestBody)
      for (const response of Object.values(
        isObject(operation.responses) ? operation.responses : {},
      )) {
        visitContent(response)
      }
      // Callbacks are path items of the consumer's API; callsim validates what it sends there.
      if (depth > 0) continue
      for (const callback of Object.values(
        isObject(operation.callbacks) ? operation.callbacks : {},
      )) {
        if (isObject(callback))
          Object.values(callback).forEach((callbackItem) => visitPathItem(callbackItem, depth + 1))
      }
    }
  }
  for (const item of Object.values(isObject(copy.paths) ? copy.paths : {})) visitPathItem(item, 0)
  applyDiscriminators(copy)
  return copy
}

/** Where the discriminator-free copies of discriminated component schemas live in a converted document. */
const DISCRIMINATOR_BASES_KEY = 'x-callsim-discriminator-bases'

interface Discriminated {
  readonly name: string
  readonly schema: JsonObject
  readonly property: string
  /** Discriminator value → `$ref` of the schema it selects. */
  readonly mapping: ReadonlyMap<string, string>
}

/**
 * ajv ignores OpenAPI's `discriminator`, so a CloudEvent's `data` or a sinkCredential's
 * subtype would go unchecked. This makes the dispatch explicit in plain JSON Schema: for each
 * discriminated component schema, one `if` (the property equals a value) / `then` (the mapped
 * schema) per mapping entry, and an `enum` on the property so that an unmapped value fails.
 *
 * Mapped schemas usually extend the base with `allOf: [{$ref: base}, …]`; with the dispatch
 * added to the base that would recurse forever at validation time, so those back-references
 * are pointed at a copy of the base taken without its discriminator. Only discriminators of
 * `components.schemas` are handled; an inline one cannot be referenced back and is left as is.
 */
function applyDiscriminators(document: JsonObject): void {
  const components = isObject(document.components) ? document.components : {}
  const schemas = isObject(components.schemas) ? components.schemas : {}
  const found: Discriminated[] = []
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !isObject(schema.discriminator)) continue
    const property = schema.discriminator.propertyName
    if (typeof property !== 'string' || property === '') continue
    found.push({ name, schema, property, mapping: mappingOf(schemas, name, schema) })
  }
  if (found.length === 0) return

  const copyOf = new Map(
    found.map((entry) => [
      schemaRef(entry.name),
      `#${toPointer([DISCRIMINATOR_BASES_KEY, entry.name])}`,
    ]),
  )
  // First point every mapped schema's back-references at the copies, then take the copies, so
  // that no chain of references can lead from a copy into a dispatching schema again.
  for (const { mapping } of found) {
    for (const ref of new Set(mapping.values()))
      redirectBackReferences(resolvePointer(document, ref), copyOf)
  }
  const bases: JsonObject = {}
  for (const { name, schema } of found) {
    const base = structuredClone(schema)
    delete base.discriminator
    bases[name] = base
  }
  document[DISCRIMINATOR_BASES_KEY] = bases

  for (const { name, schema, property, mapping } of found) {
    const self = schemaRef(name)
    const dispatch: JsonObject[] = []
    for (const [value, ref] of mapping) {
      if (ref === self) continue
      dispatch.push({
        if: { properties: { [property]: { const: value } }, required: [property] },
        then: { $ref: ref },
      })
    }
    const allOf = Array.isArray(schema.allOf) ? schema.allOf : []
    schema.allOf = [
      ...allOf,
      ...dispatch,
      { properties: { [property]: { enum: [...mapping.keys()] } } },
    ]
  }
}

function schemaRef(name: string): string {
  return `#${toPointer(['components', 'schemas', name])}`
}

/**
 * OpenAPI 3: explicit `mapping` entries, plus the implicit ones, where the value is the name
 * of a component schema that extends the base (allOf) or is listed in its oneOf/anyOf.
 */
function mappingOf(schemas: JsonObject, name: string, schema: JsonObject): Map<string, string> {
  const discriminator = schema.discriminator as JsonObject
  const mapping = new Map<string, string>()
  const explicit = isObject(discriminator.mapping) ? discriminator.mapping : {}
  for (const [value, target] of Object.entries(explicit)) {
    if (typeof target !== 'string') continue
    // A bare schema name is shorthand for the component of that name.
    mapping.set(value, target.startsWith('#') ? target : schemaRef(target))
  }
  const mapped = new Set(mapping.values())
  const self = schemaRef(name)
  const implicit = (ref: unknown): void => {
    if (typeof ref !== 'string' || mapped.has(ref)) return
    const prefix = '#/components/schemas/'
    if (!ref.startsWith(prefix)) return
    const candidate = ref.slice(prefix.length).replace(/~1/g, '/').replace(/~0/g, '~')
    if (!mapping.has(candidate)) mapping.set(candidate, ref)
  }
  for (const key of ['oneOf', 'anyOf']) {
    const list = schema[key]
    if (Array.isArray(list))
      list.forEach((entry) => implicit(isObject(entry) ? entry.$ref : undefined))
  }
  for (const [otherName, other] of Object.entries(schemas)) {
    if (otherName === name || !isObject(other) || !Array.isArray(other.allOf)) continue
    if (other.allOf.some((entry) => isObject(entry) && entry.$ref === self))
      implicit(schemaRef(otherName))
  }
  return mapping
}

/** Rewrites `$ref`s to discriminated bases in a schema's allOf (and nested inline allOf) to their copies. */
function redirectBackReferences(schema: unknown, copyOf: ReadonlyMap<string, string>): void {
  if (!isObject(schema) || !Array.isArray(schema.allOf)) return
  for (const entry of schema.allOf) {
    if (!isObject(entry)) continue
    const copy = typeof entry.$ref === 'string' ? copyOf.get(entry.$ref) : undefined
    if (copy !== undefined) entry.$ref = copy
    else redirectBackReferences(entry, copyOf)
  }
}

function convertSchema(
  document: JsonObject,
  schema: unknown,
  dialect: '3.0' | '3.1',
  direction: Direction,
  seen: Set<unknown>,
): void {
  if (!isObject(schema) || seen.has(schema)) return
  seen.add(schema)
  const recurse = (child: unknown): void => convertSchema(document, child, dialect, direction, seen)
  for (const key of SCHEMA_MAPS) {
    const map = schema[key]
    if (isObject(map)) Object.values(map).forEach(recurse)
  }
  for (const key of SCHEMA_LISTS) {
    const list = schema[key]
    if (Array.isArray(list)) list.forEach(recurse)
  }
  for (const key of SCHEMA_SINGLES) recurse(schema[key])
  if (Array.isArray(schema.items)) schema.items.forEach(recurse)

  if (dialect === '3.0' && schema.nullable === true) {
    delete schema.nullable
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null']
    if (Array.isArray(schema.enum) && !schema.enum.includes(null))
      schema.enum = [...schema.enum, null]
  }
  dropDirectionalRequired(document, schema, direction)
}

/** OpenAPI: a readOnly property is required only in responses, a writeOnly one only in requests. */
function dropDirectionalRequired(
  document: JsonObject,
  schema: JsonObject,
  direction: Direction,
): void {
  if (!Array.isArray(schema.required) || !isObject(schema.properties)) return
  const properties = schema.properties
  const flag = direction === 'request' ? 'readOnly' : 'writeOnly'
  const kept = schema.required.filter((name) => {
    let property: unknown = properties[String(name)]
    if (isObject(property) && typeof property.$ref === 'string')
      property = resolvePointer(document, property.$ref)
    return !(isObject(property) && property[flag] === true)
  })
  if (kept.length !== schema.required.length) schema.required = kept
}
