import { statSync, watch, type FSWatcher } from 'node:fs'
import path from 'node:path'
import type { Face } from '../apis/index.js'
import type { CompileCache } from '../contract/index.js'
import { err, ok, type Result } from '../core/index.js'
import type { Logger } from '../http/index.js'
import type { ScenarioEngine, SetAsideScenario } from '../scenario/index.js'
import { loadScenariosFromDisk } from './load-scenarios-from-disk.js'
import { formatStartupProblem, type StartupProblem } from './read-sources.js'

/** What a reload did: the new scenario count, or every problem of the refused edit. */
export type ReloadOutcome = Result<LoadedLibrary, readonly string[]>

/** What the first load did: as a reload, with the problems as data for start-up to report. */
type LoadOutcome = Result<LoadedLibrary, readonly StartupProblem[]>

interface LoadedLibrary {
  readonly count: number
  readonly droppedActivations: readonly string[]
  /** Shipped scenarios the served specs cannot express (formatSetAside). */
  readonly setAside: readonly SetAsideScenario[]
}

export interface ScenarioReloader {
  /** Reads the scenario paths and swaps the library in when every file is good; start-up reports the problems itself. */
  load(): LoadOutcome
  /**
   * Reads the folders again and swaps the library in place when every file is good. A broken
   * edit is reported and the previous library stays in force; live calls keep their lifecycle.
   */
  reload(): ReloadOutcome
  /** Calls `listener` after each reload attempt; returns the unsubscribe function. */
  onReload(listener: (outcome: ReloadOutcome) => void): () => void
}

export function createScenarioReloader(
  paths: readonly string[],
  faces: readonly Face[],
  engine: ScenarioEngine,
  logger: Logger,
  cache: CompileCache,
  maxFileBytes: number,
  shippedDir?: string,
): ScenarioReloader {
  const listeners = new Set<(outcome: ReloadOutcome) => void>()
  const load = (): LoadOutcome => {
    const loaded = loadScenariosFromDisk(paths, faces, cache, maxFileBytes, shippedDir)
    if (!loaded.ok) return err(loaded.error)
    const { droppedActivations } = engine.replace(loaded.value.scenarios)
    return ok({
      count: engine.list().length,
      droppedActivations,
      setAside: loaded.value.setAside,
    })
  }
  return {
    load,
    reload() {
      let outcome: ReloadOutcome
      try {
        const loaded = load()
        outcome = loaded.ok ? loaded : err(loaded.error.map(formatStartupProblem))
      } catch (error) {
        // A file callsim fails to read in a way nobody foresaw is still only a broken edit:
        // under --watch it must not take the running server down (docs/scenarios.md).
        logger.error({ err: error }, 'reading the scenario files failed; this is a bug in callsim')
        outcome = err([`Failed to reload the scenario files: ${String(error)}`])
      }
      if (outcome.ok) {
        logger.info(
          { scenarios: outcome.value.count, droppedActivations: outcome.value.droppedActivations },
          'scenarios reloaded',
        )
      } else {
        logger.error(
          { problems: outcome.error },
          'scenario files not reloaded; the previous scenarios stay in force until the files are fixed',
        )
      }
      for (const listener of listeners) listener(outcome)
      return outcome
    },
    onReload(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** Editors save in bursts (write, rename, chmod); one reload per burst is enough. */
const WATCH_DEBOUNCE_MS = 150

export interface ScenarioWatcher {
  close(): void
}

/**
 * Watches one scenario path. A folder is watched recursively; a file through its folder,
 * because editors often save by replacing the file, which ends a watch on the file itself.
 */
function watchPath(scenarioPath: string, onChange: () => void): FSWatcher {
  if (statSync(scenarioPath).isDirectory())
    return watch(scenarioPath, { recursive: true }, onChange)
  const name = path.basename(scenarioPath)
  return watch(path.dirname(scenarioPath), (_event, changed) => {
    if (changed === name) onChange()
  })
}

/**
 * `callsim serve --watch`: reloads the scenarios when a file among them changes, debounced.
 * Uses fs.watch (recursive, Node 20 on Linux, macOS and Windows).
 */
export function watchScenarios(
  paths: readonly string[],
  reloader: ScenarioReloader,
  logger: Logger,
  debounceMs = WATCH_DEBOUNCE_MS,
): ScenarioWatcher {
  let timer: NodeJS.Timeout | undefined
  const schedule = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = undefined
      reloader.reload()
    }, debounceMs)
  }
  const watchers: FSWatcher[] = []
  for (const scenarioPath of paths) {
    try {
      const watcher = watchPath(scenarioPath, schedule)
      watcher.on('error', (error) =>
        logger.error({ path: scenarioPath, err: error }, 'stopped watching scenario files'),
      )
      watchers.push(watcher)
    } catch (error) {
      logger.error(
        { path: scenarioPath, err: error },
        'cannot watch scenario files; their changes need a restart',
      )
    }
  }
  return {
    close() {
      if (timer) clearTimeout(timer)
      for (const watcher of watchers) watcher.close()
    },
  }
}
