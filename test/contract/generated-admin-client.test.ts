import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import openapiTS, { astToString } from 'openapi-typescript'
import ts from 'typescript'
import { afterAll, expect, test } from 'vitest'
import type { RunningSimulator } from '../../src/app/index.js'
import { startSimulator } from '../support/start-simulator.js'

// What a user of callsim's control API does: generate types from a running callsim with
// openapi-typescript, then write a typed client. Open objects (token claims, the journal's
// violations, a scenario's definition) must type as records of unknowns, not as
// Record<string, never>, into which the client below could put nothing.

const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-typed-client-'))
const running: RunningSimulator[] = []
afterAll(async () => {
  for (const simulator of running) await simulator.close()
  rmSync(workspace, { recursive: true, force: true })
})

const CLIENT = `
import type { components, paths } from './admin.js'

type TokenRequest = components['schemas']['TokenRequest']
type Journal =
  paths['/journal']['get']['responses'][200]['content']['application/json']
type Scenario =
  paths['/scenarios/{scenarioId}']['get']['responses'][200]['content']['application/json']

export const token: TokenRequest = {
  sub: 'tel:+15550001',
  claims: { accessLevel: 'RESELLER_ADMIN', features: ['TELE'] },
}

export function firstRequestProblem(journal: Journal): unknown {
  return journal.entries[0]?.requestViolations[0]?.['message']
}

export function faultsOf(scenario: Scenario): unknown {
  return scenario.definition['faults']
}
`

/**
 * The compiler's diagnostics for `files`. Against ES5's lib, the smallest that has what the
 * generated types and the client use (Record, Array, the primitives): ES2022's declarations
 * are a superset, so a client that compiles here compiles there, and checking them took
 * ~0.4 s of CPU more.
 */
function typeErrors(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    lib: ['lib.es5.d.ts'],
    types: [],
    skipLibCheck: true,
  })
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
}

test('types the control API from <base>/openapi.yaml of a running callsim into a client that compiles', async () => {
  const simulator = await startSimulator().listen()
  running.push(simulator)
  const types = astToString(await openapiTS(new URL(`${simulator.url}/_callsim/openapi.yaml`)))
  // A property or item typed Record<string, never> (the file-level webhooks and $defs are).
  expect(types).not.toMatch(/[:(]\s*Record<string, never>/)
  writeFileSync(path.join(workspace, 'admin.ts'), types)
  writeFileSync(path.join(workspace, 'client.ts'), CLIENT)
  writeFileSync(path.join(workspace, 'package.json'), '{"type":"module"}')
  expect(typeErrors([path.join(workspace, 'client.ts')])).toEqual([])
}, 60_000)
