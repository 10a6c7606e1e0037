import { isObject, type JsonObject } from './load-spec.js'
import { resolvePointer } from './load-spec.js'

/** Which way a value travels: readOnly fields are only required in responses, writeOnly only in requests. */
export type Direction = 'request' | 'response'

const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']
const SCHEMA_LISTS = ['allOf', 'oneOf', 'anyOf', 'prefixItems']
const SCHEMA_SINGLES = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames']

/**
 * Turns the OpenAPI dialect of a whole document into plain JSON Schema for one direction, so
 * that ajv can compile any schema in it by JSON pointer and share `$ref`ed components.
 * OpenAPI 3.0 adds `nullable`, and both versions give readOnly/writeOnly a meaning for
 * `required`; annotations such as `example` are left for ajv to ignore.
 */
export function toJsonSchemaDocument(document: JsonObject, dialect: '3.0' | '3.1', direction: Direction): JsonObject {
  const copy = structuredClone(document)
  const convert = (schema: unknown): void => convertSchema(copy, schema, dialect, direction, new Set())
  const components = isObject(copy.components) ? copy.components : {}
  for (const schema of Object.values(isObject(components.schemas) ? components.schemas : {})) convert(schema)
  for (const parameter of Object.values(isObject(components.parameters) ? components.parameters : {})) {
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
  for (const response of Object.values(isObject(components.responses) ? components.responses : {})) visitContent(response)
  for (const body of Object.values(isObject(components.requestBodies) ? components.requestBodies : {})) visitContent(body)
  for (const item of Object.values(isObject(copy.paths) ? copy.paths : {})) {
    if (!isObject(item)) continue
    for (const operation of [item, ...Object.values(item)]) {
      if (!isObject(operation)) continue
      for (const parameter of Array.isArray(operation.parameters) ? operation.parameters : []) {
        if (isObject(parameter)) convert(parameter.schema)
      }
      visitContent(operation.requestBody)
      for (const response of Object.values(isObject(operation.responses) ? operation.responses : {})) {
        visitContent(response)
      }
    }
  }
  return copy
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
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null]
  }
  dropDirectionalRequired(document, schema, direction)
}

/** OpenAPI: a readOnly property is required only in responses, a writeOnly one only in requests. */
function dropDirectionalRequired(document: JsonObject, schema: JsonObject, direction: Direction): void {
  if (!Array.isArray(schema.required) || !isObject(schema.properties)) return
  const properties = schema.properties
  const flag = direction === 'request' ? 'readOnly' : 'writeOnly'
  const kept = schema.required.filter((name) => {
    let property: unknown = properties[String(name)]
    if (isObject(property) && typeof property.$ref === 'string') property = resolvePointer(document, property.$ref)
    return !(isObject(property) && property[flag] === true)
  })
  if (kept.length !== schema.required.length) schema.required = kept
}
