import type { ErrorObject } from 'ajv'
import type { SpecProblem } from '../contract/index.js'

/**
 * The forms a oneOf/anyOf accepts, for messages that say what to write instead. Keys are the end
 * of ajv's schemaPath, which starts at whichever definition a $ref entered last.
 */
const ALTERNATIVES: readonly (readonly [string, string])[] = [
  [
    '/definitions/duration/oneOf',
    'a duration such as 250ms, 5s, 1.5m or 2h, or a number of milliseconds',
  ],
  ['/definitions/auth/oneOf', '"none", {sub, scope?, claims?} or {token}'],
  [
    '/definitions/matcher/oneOf',
    'a plain value, or an object with one of equalTo, notEqualTo, present, matches, oneOf, length, type',
  ],
  ['/properties/status/oneOf', 'a status code (100-599) or a list of them'],
  ['/properties/params/additionalProperties/anyOf', 'a string, number, boolean or a list of them'],
]

function describeError(error: ErrorObject): string | undefined {
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'if':
      // "must match then schema" only repeats the errors reported inside the branch.
      return undefined
    case 'false schema':
      return 'a step needs exactly one of request, wait, subscribe or callback'
    case 'additionalProperties': {
      const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined
      const allowed = parent?.properties
        ? ` (allowed: ${Object.keys(parent.properties).join(', ')})`
        : ''
      return `unknown field "${String(params.additionalProperty)}"${allowed}`
    }
    case 'required':
      return `"${String(params.missingProperty)}" is required`
    case 'dependencies':
      return `"${String(params.property)}" needs "${String(params.missingProperty)}": poll repeats the request until expect holds`
    case 'not':
      return error.schemaPath.includes('/name/')
        ? 'is a reserved name (env, sink, scenario and uuid are expression roots)'
        : 'give either body or rawBody, not both'
    case 'oneOf':
    case 'anyOf': {
      const forms = ALTERNATIVES.find(([suffix]) => error.schemaPath.endsWith(suffix))?.[1]
      return forms === undefined ? error.message : `must be ${forms}`
    }
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
    case 'pattern':
      if (error.propertyName !== undefined)
        return `"${error.propertyName}" is not a path: a path starts with status, headers or body, e.g. body.status`
      return error.schemaPath.includes('/name/')
        ? 'a step name starts with a letter or "_" and holds letters, digits, "_" and "-" (at most 64)'
        : `must match ${String(params.pattern)}`
    case 'propertyNames':
      return undefined
    default:
      return error.message
  }
}

/** Turns ajv's errors into problems with file, line and JSON pointer; branch noise is dropped. */
export function toStepProblems(
  errors: readonly ErrorObject[],
  at: { source: string; pointer: string; lineOf: (pointer: string) => number | undefined },
): SpecProblem[] {
  const problems: SpecProblem[] = []
  const seen = new Set<string>()
  for (const error of errors) {
    // Errors inside a failed oneOf/anyOf branch are summarised by the oneOf/anyOf error itself.
    if (/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) continue
    const message = describeError(error)
    if (message === undefined) continue
    const pointer = `${at.pointer}${error.instancePath}`
    const key = `${pointer}|${message}`
    if (seen.has(key)) continue
    seen.add(key)
    problems.push({ source: at.source, pointer, line: at.lineOf(pointer), message })
  }
  return problems
}
