import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One fork per core (vitest's default leaves one idle, which on two cores means one fork).
    maxWorkers: availableParallelism(),
    // Test files share their fork's modules, so the fork's CompileCache (testCompileCache in
    // test/support/compile-cache.ts, backed by the build's dist/spec-cache as the bin's is) is
    // made once per fork, not once per file. No test mocks a module of ours, and the cache
    // hands out only read-only results.
    isolate: false,
  },
})
