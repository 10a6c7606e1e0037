import { createSimulator, type SimulatorOptions, type Simulator } from '../../src/app/index.js'
import { testCompileCache } from './compile-cache.js'

export const ALICE = 'tel:+15550001'
export const BOB = 'tel:+15550002'

/**
 * A simulator as the tests use it: fixed seed, virtual clock, strict contract checking and
 * no logging, compiling through the test process's cache. Its Express app goes straight to
 * supertest; call `listen()` for a real port.
 */
export function startSimulator(overrides: Partial<SimulatorOptions> = {}): Simulator {
  return createSimulator(
    {
      seed: 42,
      clock: 'virtual',
      strict: true,
      logLevel: 'silent',
      port: 0,
      ...overrides,
    },
    testCompileCache(),
  )
}

/** A signed token for `sub` with every scope the simulator's specs declare, unless narrowed. */
export async function tokenFor(
  simulator: Simulator,
  sub: string = ALICE,
  scope?: string,
  claims?: Record<string, unknown>,
): Promise<string> {
  const issued = await simulator.control.issueToken({ sub, scope, claims })
  return issued.token
}

/** Advances the virtual clock by `ms` (the admin API does the same over HTTP). */
export function advance(simulator: Simulator, ms: number): void {
  const advanced = simulator.control.advanceClock(ms)
  if (!advanced.ok) throw new Error(advanced.error)
}
