import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'
import { LongestFirstSequencer } from './test/support/longest-first-sequencer.js'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One fork per core (vitest's default leaves one idle, which on two cores means one fork).
    maxWorkers: availableParallelism(),
    // Test files share their fork's modules, so the process's CompileCache (processCompileCache
    // in src/app/precompiled-cache.ts) compiles each spec once per fork, not once per file.
    // No test mocks a module of ours, and the cache hands out only read-only results.
    isolate: false,
    // The slowest files first, by the last run's durations or, on a fresh clone (CI), which
    // has none, by the measured ones in the sequencer: vitest alone would order a fresh clone
    // by file size and could start a 15 s browser file last, with the other fork idle.
    sequence: { sequencer: LongestFirstSequencer },
  },
})
