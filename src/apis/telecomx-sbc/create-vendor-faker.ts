import type { Faker, Randomizer } from '@faker-js/faker'
import { faker as englishFaker } from '@faker-js/faker/locale/en'
import { createRandom, type Random } from '../../core/index.js'

const FakerClass = englishFaker.constructor as typeof Faker

/**
 * A faker for the SBC's vendor fields, reseeded with each call's dataSeed before every use.
 * Faker's own Mersenne Twister spends ~70 µs initialising its state on every seed(), most of
 * the cost of a `full` page of 1000 sessions; the simulator's mulberry32 seeds in well under a
 * microsecond and keeps the values just as reproducible.
 */
export function createVendorFaker(): Faker {
  let random: Random = createRandom(0)
  const randomizer: Randomizer = {
    next: () => random.next(),
    seed: (seed) => {
      random = createRandom(Array.isArray(seed) ? (seed[0] ?? 0) : seed)
    },
  }
  return new FakerClass({ locale: englishFaker.rawDefinitions, randomizer })
}
