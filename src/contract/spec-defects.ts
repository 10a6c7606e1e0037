import type { SpecProblem } from './errors.js'
import { deref, isObject, type JsonObject, type LoadedSpec } from './load-spec.js'
import { toPointer } from './yaml-source.js'

/**
 * How callsim reads a served file's defects: `tolerant` (the default) repairs the few whose
 * intent is certain and warns about every one; `literal` (`--spec-strict`) only warns and
 * serves the file exactly as written.
 */
export type SpecReading = 'tolerant' | 'literal'

/** A format name written as a `pattern` (r2.2's `deviceId: { pattern: uuid }`) matches almost nothing. */
const FORMAT_NAMES = new Set([
  'uuid',
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'url',
  'byte',
])

/** The CloudEvents 1.0 member that carries an event's payload. */
const CLOUDEVENT_DATA = 'data'

/**
 * Looks for constructs in a spec that cannot be what its authors meant, and in `tolerant`
 * mode repairs the ones with a certain reading. The document is copied before any repair, so
 * the caller's stays as parsed. Every finding is a warning: the file still serves.
 */
export function reviewSpecDefects(
  spec: LoadedSpec,
  reading: SpecReading,
): { spec: LoadedSpec; warnings: SpecProblem[] } {
  const document = reading === 'tolerant' ? structuredClone(spec.document) : spec.document
  const warnings: SpecProblem[] = []
  const warn = (at: readonly (string | number)[], message: string): void => {
    const pointer = toPointer(at)
    warnings.push({ source: spec.source, pointer, line: spec.lineOf(pointer), message })
  }
  const repair = reading === 'tolerant'
  const checkRequiredOf = createRequiredCheck(document, repair, warn)
  walk(document, [], (node, at) => {
    checkFormatPattern(node, at, repair, warn)
    checkRequiredOf(node, at)
  })
  return { spec: repair ? { ...spec, document } : spec, warnings }
}

function checkFormatPattern(
  node: JsonObject,
  at: readonly (string | number)[],
  repair: boolean,
  warn: Warn,
): void {
  const pattern = node.pattern
  if (typeof pattern !== 'string' || !FORMAT_NAMES.has(pattern)) return
  if (repair && node.format === undefined) {
    delete node.pattern
    node.format = pattern
    warn(
      [...at, 'pattern'],
      `\`pattern: ${pattern}\` is a format name, not a regular expression (it matches only text containing "${pattern}"); callsim reads it as \`format: ${pattern}\`. Start with --spec-strict to take it literally.`,
    )
    return
  }
  warn(
    [...at, 'pattern'],
    `\`pattern: ${pattern}\` is a format name, not a regular expression: it matches only text containing "${pattern}"${repair ? '' : ' (--spec-strict: taken literally)'}.`,
  )
}

/** The property names a schema defines itself or through its allOf/oneOf/anyOf members. */
export function definedNames(document: JsonObject, schema: unknown, depth = 0): Set<string> {
  const names = new Set<string>()
  const resolved = deref(document, schema).value
  if (!isObject(resolved) || depth > 16) return names
  if (isObject(resolved.properties))
    for (const name of Object.keys(resolved.properties)) names.add(name)
  for (const keyword of ['allOf', 'oneOf', 'anyOf']) {
    const members = resolved[keyword]
    if (!Array.isArray(members)) continue
    for (const member of members)
      for (const name of definedNames(document, member, depth + 1)) names.add(name)
  }
  return names
}

/**
 * A `required` list naming properties that neither the schema nor its allOf siblings define.
 * CAMARA's EventSessionStatus puts `required: [mediaSessionId, status]` beside `data`, on the
 * CloudEvent envelope, where CloudEvents attribute names must be lower-case; its own example has
 * them in `data`. When `data` defines every such name, the tolerant reading requires them there
 * (docs/decisions/004-session-status-envelope.md).
 */
function createRequiredCheck(document: JsonObject, repair: boolean, warn: Warn) {
  // allOf members are checked with their group, and skipped when the walk reaches them alone.
  const checked = new WeakSet<JsonObject>()
  return (node: JsonObject, at: readonly (string | number)[]): void => {
    if (checked.has(node)) return
    // Most nodes require nothing and group nothing: with nothing to check, the names they
    // define need not be collected (that was a third of a start's review of the built-in specs).
    if (!Array.isArray(node.required) && !Array.isArray(node.allOf)) return
    const members = Array.isArray(node.allOf) ? node.allOf : []
    const group = [node, ...members.filter(isObject)]
    const defined = definedNames(document, node)
    if (defined.size === 0) return
    checkRequired(document, node, defined, group, at, repair, warn)
    members.forEach((member, position) => {
      if (!isObject(member) || member.$ref !== undefined) return
      checked.add(member)
      checkRequired(document, member, defined, group, [...at, 'allOf', position], repair, warn)
    })
  }
}

type Warn = (at: readonly (string | number)[], message: string) => void

function checkRequired(
  document: JsonObject,
  schema: JsonObject,
  defined: ReadonlySet<string>,
  group: readonly JsonObject[],
  at: readonly (string | number)[],
  repair: boolean,
  warn: Warn,
): void {
  const required = schema.required
  if (!Array.isArray(required)) return
  const missing = required.filter(
    (name): name is string => typeof name === 'string' && !defined.has(name),
  )
  if (missing.length === 0) return
  const list = missing.join(', ')
  const them = missing.length > 1 ? 'them' : 'it'
  // The allOf member whose `data` defines every missing name (the event's own, not CloudEvent's).
  const holder = group
    .map((member) => deref(document, member).value)
    .find(
      (member): member is JsonObject & { properties: JsonObject } =>
        isObject(member) &&
        isObject(member.properties) &&
        member.properties[CLOUDEVENT_DATA] !== undefined &&
        missing.every((name) =>
          definedNames(document, (member.properties as JsonObject)[CLOUDEVENT_DATA]).has(name),
        ),
    )
  const data = holder?.properties[CLOUDEVENT_DATA]
  if (!holder || data === undefined) {
    warn([...at, 'required'], `requires ${list}, which no property of this schema defines.`)
    return
  }
  const why = `requires ${list} beside \`data\`, where no property defines ${them} and a CloudEvent attribute name must be lower-case; \`data\` defines ${them}`
  if (!repair) {
    warn([...at, 'required'], `${why} (--spec-strict: required on the envelope, as written).`)
    return
  }
  const kept = required.filter((name) => !missing.includes(name as string))
  if (kept.length > 0) schema.required = kept
  else delete schema.required
  holder.properties[CLOUDEVENT_DATA] = { allOf: [data, { required: missing }] }
  warn(
    [...at, 'required'],
    `${why}, so callsim requires ${them} in \`data\`, as the file's own examples have ${them}. Start with --spec-strict to require ${them} on the envelope.`,
  )
}

/** Visits every object of the document except example values, which are data, not schema. */
function walk(
  node: unknown,
  at: (string | number)[],
  visit: (node: JsonObject, at: readonly (string | number)[]) => void,
): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, [...at, index], visit))
    return
  }
  if (!isObject(node)) return
  visit(node, at)
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples') continue
    walk(value, [...at, key], visit)
  }
}

/**
 * Example values of a media type (`example`, `examples.*.value`) that break the media type's
 * own schema: a client that copies them gets a 400 from callsim, so they are worth a warning.
 */
export function checkExamples(
  spec: LoadedSpec,
  media: unknown,
  mediaPointer: string,
  isValid: (value: unknown) => boolean,
): SpecProblem[] {
  if (!isObject(media)) return []
  const found: { pointer: string; value: unknown }[] = []
  if (media.example !== undefined)
    found.push({ pointer: `${mediaPointer}/example`, value: media.example })
  if (isObject(media.examples)) {
    for (const [name, entry] of Object.entries(media.examples)) {
      const resolved = deref(spec.document, entry)
      if (isObject(resolved.value) && 'value' in resolved.value)
        found.push({
          pointer: resolved.pointer?.slice(1) ?? `${mediaPointer}${toPointer(['examples', name])}`,
          value: resolved.value.value,
        })
    }
  }
  return found
    .filter(({ value }) => !isValid(value))
    .map(({ pointer }) => ({
      source: spec.source,
      pointer,
      line: spec.lineOf(pointer),
      message: `this example does not validate against its own schema (${mediaPointer}); a client that copies it is refused.`,
    }))
}
