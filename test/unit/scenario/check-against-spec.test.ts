import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { formatSpecProblem, loadSpec, type CompiledSpec } from '../../../src/contract/index.js'
import {
  checkAgainstSpec,
  createScenarioLoader,
  formatScenarioProblem,
  type FaultTarget,
  type FaultTargets,
  type Scenario,
} from '../../../src/scenario/index.js'

const read = (relative: string): string =>
  readFileSync(new URL(`../../../${relative}`, import.meta.url), 'utf8')
const loader = createScenarioLoader(
  JSON.parse(read('spec/callsim-scenario.schema.json')) as object,
  [JSON.parse(read('spec/callsim-steps.schema.json')) as object],
)

function compileCallHandling(): CompiledSpec {
  const loaded = loadSpec(
    read('spec/camara/webrtc-call-handling.yaml'),
    'spec/camara/webrtc-call-handling.yaml',
  )
  if (!loaded.ok) throw new Error(loaded.error.map(formatSpecProblem).join('\n'))
  return loaded.value
}

/** The call handling operations, with CAMARA ErrorInfo as the injected body, as the app builds them. */
const TARGETS: FaultTargets = new Map(
  [...compileCallHandling().operations.values()].map((operation): [string, FaultTarget[]] => [
    operation.operationId,
    [
      {
        faceId: 'camara-call-handling',
        operation,
        formatInjectedError: (status, code, message) => ({
          status,
          body: { status, code, message },
        }),
      },
    ],
  ]),
)

function check(faults: string): string[] {
  const text = `description: Checked faults.\nfaults:\n${faults}`
  const loaded = loader.load([{ text, source: 'scenarios/checked.yaml', stem: 'checked' }])
  if (!loaded.ok) throw new Error(loaded.error.map(formatScenarioProblem).join('\n'))
  return checkAgainstSpec(loaded.value as Scenario[], TARGETS).map(formatScenarioProblem)
}

test('accepts errors the targeted operations declare', () => {
  expect(
    check(`  - operations: [getSessionDetailsById, deleteSessionById]
    action: { type: respond, status: 404, code: IDENTIFIER_NOT_FOUND, message: Device identifier not found. }
  - operations: [createSession]
    action: { type: respond, status: 501, code: CALLTYPE_EMERGENCY_NOT_SUPPORTED, message: No emergency calls. }
`),
  ).toEqual([])
})

test('refuses a status the operation does not declare, and says how to fix it', () => {
  expect(
    check(
      `  - operations: [createSession]\n    action: { type: respond, status: 404, code: IDENTIFIER_NOT_FOUND, message: x }\n`,
    ),
  ).toEqual([
    'scenarios/checked.yaml:4 at /faults/0/action: createSession does not declare 404 IDENTIFIER_NOT_FOUND: status 404 is not declared for createSession (declared: 201, 400, 401, 403, 501). Inject a status and code the operation declares, or add `undeclared: true` to send it on purpose.',
  ])
})

test('refuses a code the declared status does not allow', () => {
  const problems = check(
    `  - operations: [createSession]\n    action: { type: respond, status: 403, code: NOT_FOUND, message: x }\n`,
  )
  expect(problems).toHaveLength(1)
  expect(problems[0]).toMatch(
    /^scenarios\/checked\.yaml:4 at \/faults\/0\/action: createSession does not declare 403 NOT_FOUND: code must be one of: "PERMISSION_DENIED", "INVALID_TOKEN_CONTEXT"\. /,
  )
})

test('a rule for every operation must suit every operation', () => {
  const problems = check(
    `  - action: { type: respond, status: 501, code: CALLTYPE_EMERGENCY_NOT_SUPPORTED, message: x }\n`,
  )
  expect(problems).toHaveLength(1)
  expect(problems[0]).toContain(
    'getSessionDetailsById does not declare 501 CALLTYPE_EMERGENCY_NOT_SUPPORTED',
  )
  expect(problems[0]).not.toContain('createSession does not declare')
  expect(problems[0]).toMatch(
    /List in `operations` only the operations that declare it, or add `undeclared: true`/,
  )
})

test('undeclared: true lets an undeclared response through', () => {
  expect(
    check(
      `  - undeclared: true\n    action: { type: respond, status: 503, code: UNAVAILABLE, message: Service unavailable. }\n`,
    ),
  ).toEqual([])
})

test('refuses an operationId that no face serves, listing the ones that exist', () => {
  expect(check(`  - operations: [createSesion]\n    action: { type: drop-connection }\n`)).toEqual([
    'scenarios/checked.yaml:3 at /faults/0/operations: no face serves the operation createSesion. Use operationIds from the mounted specs: createSession, getSessionDetailsById, deleteSessionById, updateSessionStatus',
  ])
})

test('a malformed body needs a declared status that has a body', () => {
  expect(
    check(
      `  - operations: [deleteSessionById]\n    action: { type: malformed-body, status: 204 }\n`,
    ),
  ).toEqual([
    'scenarios/checked.yaml:4 at /faults/0/action: status 204 of deleteSessionById declares no body, so there is no body to break. Inject a status and code the operation declares, or add `undeclared: true` to send it on purpose.',
  ])
  expect(
    check(
      `  - operations: [getSessionDetailsById]\n    action: { type: malformed-body, status: 200 }\n`,
    ),
  ).toEqual([])
})

test('latency and dropped connections need no declaration', () => {
  expect(
    check(`  - delay: { type: fixed, duration: 2s }\n  - action: { type: drop-connection }\n`),
  ).toEqual([])
})
