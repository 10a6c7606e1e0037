import { readFileSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { injectedErrorOf, type Face } from '../apis/index.js'
import { deepFreeze, type CompileCache } from '../contract/index.js'
import { err, ok, type Result } from '../core/index.js'
import {
  checkAgainstSpec,
  createScenarioLoader,
  type FaultTarget,
  type FaultTargets,
  type Scenario,
  type ScenarioFile,
  type ScenarioLoader,
  type SetAsideScenario,
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
    loader = remembering(
      createScenarioLoader(
        read('spec/callsim-scenario.schema.json'),
        [read('spec/callsim-steps.schema.json')],
        cache,
      ),
      cache,
    )
    loaders.set(cache, loader)
  }
  return loader
}

// Past this many sets of files (a watched folder loads each edit anew) the oldest are dropped.
const MAX_REMEMBERED = 64

/**
 * A loader that keeps the scenarios it made of a set of files, by their names and texts: every
 * simulator loads the shipped scenarios, and the tests build hundreds in one process. The
 * scenarios are frozen, so simulators share them; a file that differs in any byte (an edit
 * under --watch) is loaded anew.
 */
function remembering(loader: ScenarioLoader, cache: CompileCache): ScenarioLoader {
  const remembered = new Map<string, readonly Scenario[]>()
  return {
    load(files) {
      const key = files
        .map((file) => `${file.source}\0${file.stem}\0${cache.textHash(file.text)}`)
        .join('\n')
      const known = remembered.get(key)
      if (known) return ok([...known])
      const loaded = loader.load(files)
      // A file with problems is read again next time, to report them again.
      if (!loaded.ok) return loaded
      for (const scenario of loaded.value) {
        deepFreeze(scenario.definition)
        deepFreeze(scenario.steps)
        Object.freeze(scenario)
      }
      if (remembered.size >= MAX_REMEMBERED)
        remembered.delete(remembered.keys().next().value as string)
      remembered.set(key, loaded.value)
      return ok([...loaded.value])
    },
  }
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

/** The scenarios in force, and the shipped ones set aside for the served specs. */
export interface LoadedScenarios {
  readonly scenarios: Scenario[]
  readonly setAside: SetAsideScenario[]
}

/**
 * Reads, checks and compiles every scenario file in `paths` (files, or folders searched), and
 * checks their fault plans against the faces' specs. Every problem is reported, each naming
 * its file and place where it has one.
 *
 * A scenario from `shippedDir` that a served spec cannot express (an undeclared status, an
 * unknown operation) is set aside rather than refused: callsim ships them for its built-in
 * specs, and an official release may lack what they use. The user's own files stay strict.
 */
export function loadScenariosFromDisk(
  paths: readonly string[],
  faces: readonly Face[],
  cache: CompileCache,
  maxFileBytes: number,
  shippedDir?: string,
): Result<LoadedScenarios, StartupProblem[]> {
  const problems: StartupProblem[] = []
  const files: ScenarioFile[] = []
  const shipped = new Set<string>()
  for (const scenarioPath of paths) {
    for (const file of listFiles(scenarioPath, problems)) {
      if (scenarioPath === shippedDir) shipped.add(displayName(file))
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
  const targets = faultTargetsOf(faces)
  const scenarios: Scenario[] = []
  const setAside: SetAsideScenario[] = []
  for (const scenario of loaded.value) {
    const refused = checkAgainstSpec([scenario], targets)
    const [first] = refused
    if (first === undefined) scenarios.push(scenario)
    else if (shipped.has(scenario.origin.source))
      setAside.push({ id: scenario.id, source: scenario.origin.source, reason: first.message })
    else problems.push(...refused)
  }
  return problems.length > 0 ? err(problems) : ok({ scenarios, setAside })
}
