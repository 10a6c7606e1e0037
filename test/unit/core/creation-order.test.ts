import { expect, test } from 'vitest'
import { CreationOrder } from '../../../src/core/creation-order.js'

test('lets go of dead items once they outnumber the living, with nothing appended after', () => {
  const living = new Set<number>()
  const order = new CreationOrder<number>(
    (item) => living.has(item),
    (item) => item,
  )
  for (let item = 0; item < 1000; item += 1) {
    living.add(item)
    order.append(item, living.size)
  }
  // Every item dies, as every call does once it has passed retention.
  for (let item = 0; item < 1000; item += 1) {
    living.delete(item)
    order.died(living.size)
  }
  expect(order.snapshot().length).toBeLessThanOrEqual(64)
  expect([...order.newestFirst()]).toEqual([])
})
