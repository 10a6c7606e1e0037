import { isObject, resolvePointer, type JsonObject } from './load-spec.js'
import { definedNames } from './spec-defects.js'

/** What the served events file says about the CloudEvents callsim sends. */
export interface CallbackEvents {
  /** The event `type` names its CloudEvent discriminator maps (releases name them differently). */
  readonly types: readonly string[]
  /**
   * Names the event's schema requires on the envelope although only `data` defines them: what a
   * file read literally (`--spec-strict`) demands, e.g. mediaSessionId and status on
   * session-status. The notifier copies them from `data`. Empty once the defect is repaired.
   */
  envelopeAttributes(type: string): readonly string[]
}

/** Reads the event types and their envelope demands from a (reviewed) events document. */
export function describeCallbackEvents(document: JsonObject): CallbackEvents {
  const mapping = new Map<string, unknown>()
  const schemas =
    isObject(document.components) && isObject(document.components.schemas)
      ? document.components.schemas
      : {}
  for (const schema of Object.values(schemas)) {
    const discriminator = isObject(schema) ? schema.discriminator : undefined
    if (!isObject(discriminator) || discriminator.propertyName !== 'type') continue
    if (!isObject(discriminator.mapping)) continue
    for (const [type, ref] of Object.entries(discriminator.mapping))
      if (typeof ref === 'string') mapping.set(type, resolvePointer(document, ref))
  }
  const attributes = new Map<string, readonly string[]>()
  for (const [type, schema] of mapping) {
    if (!isObject(schema)) continue
    const defined = definedNames(document, schema)
    const members = Array.isArray(schema.allOf) ? schema.allOf.filter(isObject) : []
    const required = [schema, ...members.filter((member) => member.$ref === undefined)].flatMap(
      (part) => (Array.isArray(part.required) ? part.required.map(String) : []),
    )
    attributes.set(type, [...new Set(required.filter((name) => !defined.has(name)))])
  }
  return {
    types: [...mapping.keys()],
    envelopeAttributes: (type) => attributes.get(type) ?? [],
  }
}
