import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { injectedErrorOf, type Face } from '../apis/index.js'
import type { CompileCache } from '../contract/index.js'
import { err, ok, type Result } from '../core/index.js'
import {
  checkAgainstSpec,
  createScenarioLoader,
  formatScenarioProblem,
  type FaultTarget,
  type FaultTargets,
  type Scenario,
  type ScenarioFile,
  type ScenarioLoader,
} from '../scenario/index.js'
import { builtInPath } from './read-sources.js'

/** The shipped library: default.yaml, lifecycle/, errors/, network/. */
export const BUILT_IN_SCENARIOS_DIR = builtInPath('scenarios')

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

const loaders = new WeakMap<CompileCache, ScenarioLoader>()

/** The published schemas, compiled once per cache (tests build many simulators). */
function scenarioLoader(cache: CompileCache): ScenarioLoader {
  let loader = loaders.get(cache)
  if (!loader) {
    const read = (file: string): object =>
      JSON.parse(readFileSync(builtInPath(file), 'utf8')) as object
    // The scenario schema's `steps` refers to the runner's steps schema by its $id.
    loader = createScenarioLoader(
      read('spec/callsim-scenario.schema.json'),
      [read('spec/callsim-steps.schema.json')],
      cache,
    )
    loaders.set(cache, loader)
  }
  return loader
}

function displayName(file: string): string {
  const relative = path.relative(process.cwd(), file)
  return relative === '' || relative.startsWith('..') ? file : relative
}

/** Scenario files under `dir`, in sub-folders too, in a stable (sorted) order. */
function listFiles(dir: string, problems: string[]): string[] {
  let entries: string[]
  try {
    if (!statSync(dir).isDirectory()) {
      problems.push(
        `Failed to read scenarios from ${displayName(dir)}: it is a file, not a folder. Pass the folder that holds the scenario files.`,
      )
      return []
    }
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'no such folder'
        : String(error)
    problems.push(`Failed to read scenarios from ${displayName(dir)}: ${reason}.`)
    return []
  }
  return entries
    .filter(
      (entry) =>
        SCENARIO_EXTENSIONS.has(path.extname(entry)) && !path.basename(entry).startsWith('.'),
    )
    .map((entry) => path.join(dir, entry))
    .sort()
}

/** Every operation of every face that scenarios may target; the control API is not one of them. */
export function faultTargetsOf(faces: readonly Face[]): FaultTargets {
  const targets = new Map<string, FaultTarget[]>()
  for (const face of faces) {
    if (face.controlPlane) continue
    for (const operation of face.spec.operations.values()) {
      const target: FaultTarget = {
        faceId: face.id,
        operation,
        formatInjectedError: (status, code, message) =>
          injectedErrorOf(face, status, code, message),
      }
      targets.set(operation.operationId, [...(targets.get(operation.operationId) ?? []), target])
    }
  }
  return targets
}

/**
 * Reads, checks and compiles every scenario file in `dirs`, and checks their fault plans
 * against the faces' specs. The errors are ready to print, one line each.
 */
export function loadScenariosFromDisk(
  dirs: readonly string[],
  faces: readonly Face[],
  cache: CompileCache,
): Result<Scenario[], string[]> {
  const problems: string[] = []
  const files: ScenarioFile[] = []
  for (const dir of dirs) {
    for (const file of listFiles(dir, problems)) {
      try {
        files.push({
          text: readFileSync(file, 'utf8'),
          source: displayName(file),
          stem: path.basename(file, path.extname(file)),
        })
      } catch (error) {
        problems.push(
          `Failed to read ${displayName(file)}: ${error instanceof Error ? error.message : String(error)}.`,
        )
      }
    }
  }
  const loaded = scenarioLoader(cache).load(files)
  if (!loaded.ok) return err([...problems, ...loaded.error.map(formatScenarioProblem)])
  problems.push(...checkAgainstSpec(loaded.value, faultTargetsOf(faces)).map(formatScenarioProblem))
  return problems.length > 0 ? err(problems) : ok(loaded.value)
}
