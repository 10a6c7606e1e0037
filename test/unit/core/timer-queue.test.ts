import { expect, test } from 'vitest'
import { CallbackTimer, TimerQueue, createRandom, type TimerId } from '../../../src/core/index.js'

/** Runs everything due by `now`, as a clock does when its time comes. */
function drain(queue: TimerQueue, now: number): void {
  for (let due = queue.takeDue(now); due; due = queue.takeDue(now)) due.timer.fire()
}

function scheduled(queue: TimerQueue, at: number, task: () => void): TimerId {
  const timer = new CallbackTimer(task)
  queue.add(at, timer)
  return timer
}

function labelled(queue: TimerQueue, fired: string[], at: number, label: string): TimerId {
  return scheduled(queue, at, () => fired.push(label))
}

test('hands out tasks in time order, whatever the order they were added in', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  labelled(queue, fired, 300, 'c')
  labelled(queue, fired, 100, 'a')
  labelled(queue, fired, 200, 'b')
  drain(queue, 1000)
  expect(fired).toEqual(['a', 'b', 'c'])
})

test('fires tasks due at the same moment in the order they were scheduled', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  for (const label of ['first', 'second', 'third', 'fourth']) labelled(queue, fired, 500, label)
  drain(queue, 500)
  expect(fired).toEqual(['first', 'second', 'third', 'fourth'])
})

test('keeps tasks that are not due yet', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  labelled(queue, fired, 100, 'now')
  labelled(queue, fired, 101, 'later')
  drain(queue, 100)
  expect(fired).toEqual(['now'])
  expect(queue.size).toBe(1)
  expect(queue.nextAt()).toBe(101)
})

test('never runs a removed task and no longer counts it', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  const a = labelled(queue, fired, 100, 'a')
  labelled(queue, fired, 200, 'b')
  queue.remove(a)
  queue.remove(a)
  expect(queue.size).toBe(1)
  // The cancelled head is skipped: the next due time is the live task's.
  expect(queue.nextAt()).toBe(200)
  drain(queue, 1000)
  expect(fired).toEqual(['b'])
  expect(queue.size).toBe(0)
  expect(queue.nextAt()).toBeUndefined()
})

test('cancelling a task that already ran, or one cleared away, changes nothing', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  const ran = labelled(queue, fired, 100, 'ran')
  drain(queue, 100)
  const cleared = labelled(queue, fired, 300, 'cleared')
  queue.clear()
  const pending = labelled(queue, fired, 400, 'pending')
  queue.remove(ran)
  queue.remove(cleared)
  expect(queue.size).toBe(1)
  queue.remove(pending)
  expect(queue.size).toBe(0)
  drain(queue, 1000)
  expect(fired).toEqual(['ran'])
})

test('gives every task its own id, so removing one leaves its twin at the same time alone', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  labelled(queue, fired, 100, 'keep')
  const twin = labelled(queue, fired, 100, 'drop')
  queue.remove(twin)
  drain(queue, 100)
  expect(fired).toEqual(['keep'])
})

test('forgets everything on clear', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  labelled(queue, fired, 1, 'a')
  labelled(queue, fired, 2, 'b')
  queue.clear()
  expect(queue.size).toBe(0)
  expect(queue.takeDue(10)).toBeUndefined()
  expect(fired).toEqual([])
})

test('stays a correct heap over thousands of random inserts and removals', () => {
  // A seeded generator keeps this property test reproducible.
  const random = createRandom(7)
  const queue = new TimerQueue()
  const expected: { at: number; order: number }[] = []
  const fired: { at: number; order: number }[] = []
  const removed = new Set<number>()
  const ids: TimerId[] = []
  for (let order = 0; order < 5000; order += 1) {
    const at = random.int(0, 1000)
    const entry = { at, order }
    ids.push(scheduled(queue, at, () => fired.push(entry)))
    expected.push(entry)
    if (random.next() < 0.2) {
      const victim = random.int(0, ids.length - 1)
      queue.remove(ids[victim] as TimerId)
      removed.add(victim)
    }
  }
  for (let due = queue.takeDue(1000); due; due = queue.takeDue(1000)) due.timer.fire()
  const survivors = expected.filter((entry) => !removed.has(entry.order))
  survivors.sort((a, b) => a.at - b.at || a.order - b.order)
  expect(fired).toEqual(survivors)
  expect(queue.size).toBe(0)
})

test('runs a task scheduled for the moment being drained after the tasks already due then', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  scheduled(queue, 100, () => {
    fired.push('a')
    labelled(queue, fired, 100, 'c')
  })
  labelled(queue, fired, 100, 'b')
  drain(queue, 100)
  expect(fired).toEqual(['a', 'b', 'c'])
  expect(queue.size).toBe(0)
})

test('puts a task added for an earlier time first, even after the later time was looked at', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  labelled(queue, fired, 200, 'later')
  expect(queue.nextAt()).toBe(200)
  labelled(queue, fired, 100, 'earlier')
  expect(queue.nextAt()).toBe(100)
  drain(queue, 200)
  expect(fired).toEqual(['earlier', 'later'])
})

test('takes tasks for a time again after every earlier task for that time has run', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  labelled(queue, fired, 100, 'first')
  drain(queue, 100)
  labelled(queue, fired, 100, 'again')
  labelled(queue, fired, 50, 'past')
  expect(queue.nextAt()).toBe(50)
  drain(queue, 100)
  expect(fired).toEqual(['first', 'past', 'again'])
})

test('moves a timer added again to its new time, and counts it once', () => {
  const queue = new TimerQueue()
  const fired: string[] = []
  const timer = labelled(queue, fired, 100, 'moved')
  labelled(queue, fired, 150, 'other')
  queue.add(200, timer)
  expect(queue.size).toBe(2)
  drain(queue, 199)
  expect(fired).toEqual(['other'])
  drain(queue, 200)
  expect(fired).toEqual(['other', 'moved'])
  expect(queue.size).toBe(0)
})

test('lets a timer schedule itself again while it fires, as a call does step after step', () => {
  const queue = new TimerQueue()
  const firedAt: number[] = []
  let steps = 0
  const timer = {
    timerTicket: 0,
    fire(): void {
      steps += 1
      firedAt.push(steps * 100)
      if (steps < 3) queue.add((steps + 1) * 100, timer)
    },
  }
  queue.add(100, timer)
  drain(queue, 1000)
  expect(firedAt).toEqual([100, 200, 300])
  expect(queue.size).toBe(0)
  expect(timer.timerTicket).toBe(0)
})
