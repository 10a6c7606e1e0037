import { randomBytes } from 'node:crypto'
import { accessSync, constants, mkdirSync } from 'node:fs'
import { link, rename, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Face } from '../apis/index.js'
import { DEFAULT_MAX_FILE_BYTES } from '../contract/index.js'
import { StartupError } from './read-sources.js'
import {
  recordScenarios,
  writeScenario,
  type Observation,
  type Redaction,
} from '../scenario/index.js'

export interface RecordToDirOptions {
  /** The folder the scenario files go to; created when missing. */
  readonly dir: string
  /** The faces the proxy serves: their specs name the operations the steps call. */
  readonly faces: readonly Face[]
  readonly redaction?: Redaction
  readonly roundToMs?: number
  /** Scenario ids start with it; default `rec-<UTC date and time of the first observation>`. */
  readonly idPrefix?: string
  /** Write this long after the last observation (default 1 s); 0 writes only on flush(). */
  readonly settleMs?: number
  /** Most observations kept (default 10,000); later ones are dropped with one warning. */
  readonly maxObservations?: number
  /** Hears what the user should know: files written, files the loader would refuse, drops. */
  readonly onNotice?: (message: string) => void
}

interface RecordReport {
  /** Files written by this flush (paths as given by `dir`). */
  readonly written: readonly string[]
  /** What the recording left out and why. */
  readonly skipped: readonly string[]
}

/** Collects what the proxy saw and keeps it written to scenario files, one per call. */
export interface RecordToDir {
  /** The proxy's `onObservation` hook. */
  readonly observe: (observation: Observation) => void
  /** Writes every call recorded so far; a flush waits for the one before it. */
  flush(): Promise<RecordReport>
}

function defaultPrefix(at: number): string {
  // rec-20261206-214501: sorts by time, and fits the scenario id pattern.
  const iso = new Date(at).toISOString()
  return `rec-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}`
}

/**
 * Opens `dir` for a recording (at start-up, so that a folder callsim cannot write fails before
 * any traffic) and returns the hook that feeds it.
 *
 * Each file is written atomically: to a temporary name beside it, then moved into place, so a
 * reader (`serve --watch`) never sees half a file. A file this recording did not write is never
 * replaced: a new file is linked into place, which fails when the name exists, and the call then
 * takes the next free name (`-2`, `-3`, …).
 */
export function createRecordToDir(options: RecordToDirOptions): RecordToDir {
  try {
    mkdirSync(options.dir, { recursive: true })
    accessSync(options.dir, constants.W_OK)
  } catch (error) {
    throw new StartupError([
      `--record ${options.dir}: callsim cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); name a folder you can write to.`,
    ])
  }
  const operations = new Map(options.faces.flatMap((face) => [...face.spec.operations]))
  const maxObservations = options.maxObservations ?? 10_000
  const settleMs = options.settleMs ?? 1000
  const notice = options.onNotice ?? (() => undefined)
  const observations: Observation[] = []
  /** Scenario id → the file this recording owns for it. */
  const owned = new Map<string, string>()
  let idPrefix = options.idPrefix
  let dropped = false
  let timer: NodeJS.Timeout | undefined
  let last: Promise<RecordReport> = Promise.resolve({ written: [], skipped: [] })

  /**
   * Writes `text` to a temporary file beside `file`, then moves it into place: replacing `file`
   * (one this recording wrote) or, for a new file, linking it, which fails with EEXIST when the
   * name is taken.
   */
  const writeAtomically = async (file: string, text: string, replace: boolean): Promise<void> => {
    const temporary = path.join(
      path.dirname(file),
      `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`,
    )
    await writeFile(temporary, text, { flag: 'wx' })
    let moved = false
    try {
      if (replace) await rename(temporary, file)
      else await link(temporary, file)
      moved = replace
    } finally {
      if (!moved) await unlink(temporary).catch(() => undefined)
    }
  }

  const writeNew = async (id: string, text: string): Promise<string> => {
    for (let n = 1; ; n += 1) {
      const file = path.join(options.dir, `${n === 1 ? id : `${id}-${n}`}.yaml`)
      try {
        await writeAtomically(file, text, false)
        if (n > 1)
          notice(
            `${path.join(options.dir, `${id}.yaml`)} exists and is not this recording's: wrote ${file} instead`,
          )
        return file
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 1000) throw error
      }
    }
  }

  const writeAll = async (): Promise<RecordReport> => {
    if (observations.length === 0 || idPrefix === undefined) return { written: [], skipped: [] }
    const recording = recordScenarios(observations, {
      idPrefix,
      operations,
      redaction: options.redaction,
      roundToMs: options.roundToMs,
    })
    const written: string[] = []
    for (const document of recording.documents) {
      const text = writeScenario(document)
      let file = owned.get(document.id)
      if (file === undefined) {
        file = await writeNew(document.id, text)
        owned.set(document.id, file)
      } else {
        // The recording's own file, written by an earlier flush: replaced in place.
        await writeAtomically(file, text, true)
      }
      if (Buffer.byteLength(text) > DEFAULT_MAX_FILE_BYTES)
        notice(`${file} is larger than callsim reads by default; load it with --max-file-size`)
      written.push(file)
    }
    return { written, skipped: recording.skipped }
  }

  const flush = (): Promise<RecordReport> => {
    if (timer) clearTimeout(timer)
    timer = undefined
    last = last.catch(() => undefined).then(writeAll)
    return last
  }

  return {
    observe(observation) {
      if (observations.length >= maxObservations) {
        if (!dropped)
          notice(
            `the recording holds ${maxObservations} observations, its limit; later requests are not recorded`,
          )
        dropped = true
        return
      }
      idPrefix ??= defaultPrefix(observation.at)
      observations.push(observation)
      if (settleMs <= 0) return
      if (timer) clearTimeout(timer)
      timer = setTimeout(() => {
        flush().catch((error: unknown) =>
          notice(`could not write the recording to ${options.dir}: ${(error as Error).message}`),
        )
      }, settleMs)
      timer.unref()
    },
    flush,
  }
}
