import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { injectedErrorOf, type Face } from '../apis/index.js'
import type { CompileCache } from '../contract/index.js'
import { err, ok, type Result } from '../core/index.js'
import {
  checkAgainstSpec,
  createScenarioLoader,
  type FaultTarget,
  type FaultTargets,
  type Scenario,
  type ScenarioFile,
  type ScenarioLoader,
} from '../scenario/index.js'
import { builtInPath, displayName, readTextFile, type StartupProblem } from './read-sources.js'

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

/**
 * The scenario files a path names: the file itself, or the scenario files under a folder, in
 * sub-folders too, in a stable (sorted) order.
 */
function listFiles(scenarioPath: string, problems: StartupProblem[]): string[] {
  let entries: string[]
  try {
    if (statSync(scenarioPath).isFile()) return [scenarioPath]
    entries = readdirSync(scenarioPath, { recursive: true, encoding: 'utf8' })
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'no such file or folder'
        : String(error)
    problems.push(`Failed to read scenarios from ${displayName(scenarioPath)}: ${reason}.`)
    return []
  }
  return entries
    .filter(
      (entry) =>
        SCENARIO_EXTENSIONS.has(path.extname(entry)) && !path.basename(entry).startsWith('.'),
    )
    .map((entry) => path.join(scenarioPath, entry))
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
 * Reads, checks and compiles every scenario file in `paths` (files, or folders searched), and
 * checks their fault plans against the faces' specs. Every problem is reported, each naming
 * its file and place where it has one.
 */
export function loadScenariosFromDisk(
  paths: readonly string[],
  faces: readonly Face[],
  cache: CompileCache,
  maxFileBytes: number,
): Result<Scenario[], StartupProblem[]> {
  const problems: StartupProblem[] = []
  const files: ScenarioFile[] = []
  for (const scenarioPath of paths) {
    for (const file of listFiles(scenarioPath, problems)) {
      // callsim's own files are not held to the user's limit.
      const text = readTextFile(
        file,
        scenarioPath === BUILT_IN_SCENARIOS_DIR ? Infinity : maxFileBytes,
      )
      if (!text.ok) problems.push(text.error)
      else
        files.push({
          text: text.value,
          source: displayName(file),
          stem: path.basename(file, path.extname(file)),
        })
    }
  }
  const loaded = scenarioLoader(cache).load(files)
  if (!loaded.ok) return err([...problems, ...loaded.error])
  problems.push(...checkAgainstSpec(loaded.value, faultTargetsOf(faces)))
  return problems.length > 0 ? err(problems) : ok(loaded.value)
}
