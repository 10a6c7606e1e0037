import path from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Seconds each slow test file took on the quiet 2-core machine (vitest's per-file time,
 * 2026-12-07): the files of 1 s or more. Files not listed take a fraction of a second. The
 * figures only order the files, so a stale one costs a little balance, never a test; refresh
 * them from `npx vitest run` on a fresh clone when the slow files change.
 */
const MEASURED_SECONDS: ReadonlyMap<string, number> = new Map([
  ['test/browser/console-live.test.ts', 14.6],
  ['test/api/http-edge/unsendable-replies-change-nothing.test.ts', 12.0],
  ['test/cli/run.test.ts', 11.5],
  ['test/browser/console-accessibility.test.ts', 7.6],
  ['test/fuzz/every-operation.test.ts', 6.2],
  ['test/cli/install-package.test.ts', 4.7],
  ['test/cli/proxy-record.test.ts', 4.6],
  ['test/cli/logs.test.ts', 4.2],
  ['test/scenarios/run-shipped.test.ts', 2.7],
  ['test/browser/click2call-jsonp.test.ts', 2.6],
  ['test/scenarios/hostile-files.test.ts', 2.5],
  ['test/scenarios/shipped-scenarios.test.ts', 2.3],
  ['test/api/http-edge/slow-clients.test.ts', 2.2],
  ['test/cli/validate.test.ts', 1.9],
  ['test/api/http-edge/oversized-uploads.test.ts', 1.8],
  ['test/contract/generated-admin-client.test.ts', 1.4],
  ['test/browser/browser-support.test.ts', 1.3],
  ['test/proxy/forward.test.ts', 1.3],
  ['test/contract/release-journeys.test.ts', 1.3],
  ['test/cli/serve.test.ts', 1.3],
  ['test/unit/contract/discriminator.test.ts', 1.3],
  ['test/cli/usage.test.ts', 1.2],
  ['test/contract/prism-proxy.test.ts', 1.2],
  ['test/api/telecomx-sbc/list-sessions.test.ts', 1.2],
  ['test/api/camara-call-handling/create-session.test.ts', 1.1],
  ['test/scenarios/watch-scenarios.test.ts', 1.1],
])

/**
 * A file not measured yet: a browser or a spawned process makes a file slow whatever its
 * size, so its folder says more than its length.
 */
function guessedSeconds(file: string): number {
  if (file.startsWith('test/browser/')) return 3
  if (file.startsWith('test/cli/') || file.startsWith('test/contract/')) return 1
  return 0.3
}

/**
 * Runs the slowest test files first, so that the two forks end together. vitest hands each
 * fork the next file in this order as it frees up; a file of 15 s that starts last keeps one
 * fork busy for 15 s while the other has nothing left. vitest's own order is by the
 * durations of the last run on this machine, kept in node_modules/.vite, and by file size
 * when it has none, which is the case on every fresh clone (CI), where the browser tests,
 * short files that take seconds, then started late. This order takes the last run's
 * durations when there are some, else MEASURED_SECONDS, and the files vitest saw fail first.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const { cache, config } = this.ctx
    const rank = (spec: TestSpecification): number => {
      const file = path.relative(config.root, spec.moduleId).split(path.sep).join('/')
      const last = cache.getFileTestResults(`${spec.project.name}:${file}`)
      if (last?.failed === true) return Number.POSITIVE_INFINITY
      if (last !== undefined) return last.duration / 1000
      return MEASURED_SECONDS.get(file) ?? guessedSeconds(file)
    }
    const ranked = files.map((spec) => ({ spec, seconds: rank(spec) }))
    ranked.sort((a, b) => b.seconds - a.seconds)
    return Promise.resolve(ranked.map(({ spec }) => spec))
  }
}
