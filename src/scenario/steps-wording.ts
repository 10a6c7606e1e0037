import type { SchemaWording } from '../contract/index.js'

/**
 * Sentences for the places of spec/callsim-steps.schema.json where ajv and the schema's own
 * descriptions would say too little: the forms a oneOf or anyOf takes, and what a `not` or a
 * `false` forbids. Scenario files embed the steps schema and `callsim run` checks run files
 * against it, so both loaders use these and a bad step reads the same in either. ajv compiles
 * the step and request definitions as functions of their own, so paths inside them start at `#`.
 */
export const STEPS_WORDING: SchemaWording = [
  ['/definitions/auth/oneOf', 'must be "none", {sub, scope?, claims?} or {token}'],
  [
    '/definitions/matcher/oneOf',
    'must be a plain value, or an object with one of equalTo, notEqualTo, present, matches, oneOf, length, type',
  ],
  ['/properties/status/oneOf', 'must be a status code (100-599) or a list of them'],
  [
    '/properties/params/additionalProperties/anyOf',
    'must be a string, number, boolean or a list of them',
  ],
  [
    '#/else/else/else/else/false schema',
    'a step needs exactly one of request, wait, subscribe or callback',
  ],
  ['#/dependencies', '`poll` needs `expect`: poll repeats the request until expect holds'],
  [
    '/definitions/name/not',
    'is a reserved name (env, sink, scenario and uuid are expression roots)',
  ],
  [
    '/definitions/name/pattern',
    'a step name starts with a letter or "_" and holds letters, digits, "_" and "-" (at most 64)',
  ],
  ['#/not', 'give either body or rawBody, not both'],
]
