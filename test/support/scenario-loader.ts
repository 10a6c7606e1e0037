import { readFileSync } from 'node:fs'
import { createScenarioLoader } from '../../src/scenario/index.js'

const readSchema = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../spec/${name}`, import.meta.url), 'utf8')) as object

/** A scenario loader over callsim's own scenario and steps schemas, as `serve` builds it. */
export function createTestScenarioLoader() {
  return createScenarioLoader(readSchema('callsim-scenario.schema.json'), [
    readSchema('callsim-steps.schema.json'),
  ])
}
