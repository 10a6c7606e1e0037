/* eslint-disable no-template-curly-in-string -- run files write ${…} expressions in plain strings */
import { expect, test } from 'vitest'
import { testCompileCache } from '../../support/compile-cache.js'
import { formatSpecProblem } from '../../../src/contract/index.js'
import { checkSteps } from '../../../src/runner/check-steps.js'
import { createStepsValidator } from '../../../src/runner/client-steps.js'
import { loadRunFile } from '../../../src/runner/load-run-file.js'
import { OperationCatalog } from '../../../src/runner/operation-catalog.js'
import { loadBuiltInSpecs, readStepsSchema } from '../../../src/runner/read-run-inputs.js'

const validate = createStepsValidator(readStepsSchema(), testCompileCache())
const catalog = OperationCatalog.create(loadBuiltInSpecs(testCompileCache()), [])

function problemsOf(steps: string): string[] {
  const file = loadRunFile(
    `description: demo\nsteps:\n${steps}`,
    'demo.yaml',
    validate,
    testCompileCache(),
  )
  const [scenario] = file.scenarios
  expect(scenario?.problems).toEqual([])
  return checkSteps(scenario?.steps ?? [], catalog).map(formatSpecProblem)
}

test('accepts steps that name known operations, declared parameters and earlier steps', () => {
  expect(
    problemsOf(`  - name: create
    request: createSession
    params: { registrationId: r, X-Correlator: c }
  - request: getSessionDetailsById
    params: { mediaSessionId: "\${create.body.mediaSessionId}" }
    headers: { x-anything: "\${env.HOME} \${scenario.id} \${uuid.a} \${sink.url}" }
`),
  ).toEqual([])
})

test('names an unknown operation and the closest known one', () => {
  expect(problemsOf('  - request: createSesion\n')).toEqual([
    expect.stringMatching(
      /^demo.yaml:3 at \/steps\/0\/request: request: no operation "createSesion" in the specs the run knows \(.*webrtc-call-handling.yaml.*\)\. Did you mean createSession\? Pass the spec that declares it with --spec\.$/,
    ),
  ])
})

test('names a parameter the operation does not declare, with the ones it does', () => {
  expect(problemsOf('  - request: getSessionDetailsById\n    params: { sessionId: x }\n')).toEqual([
    'demo.yaml:3 at /steps/0/params: params.sessionId: getSessionDetailsById has no parameter "sessionId"; declared: x-correlator (header), mediaSessionId (path). Send other headers with headers.',
  ])
})

test('refuses expressions that read a later or unknown step', () => {
  expect(
    problemsOf(`  - request: getSessionDetailsById
    params: { mediaSessionId: "\${create.body.mediaSessionId}" }
  - name: create
    request: createSession
    body: { receiverAddress: "\${nobody.body.x}" }
`),
  ).toEqual([
    'demo.yaml:3 at /steps/0: ${create...} reads a step that runs later; an expression can only read steps above it',
    'demo.yaml:5 at /steps/1: ${nobody...} reads a step that does not exist; an expression can only read steps above it',
  ])
})
