import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import {
  DomainEvents,
  Network,
  VirtualClock,
  createFaker,
  createRandom,
  type Call,
  type Lifecycle,
} from '../../../src/core/index.js'
import { createScenarioLoader, formatScenarioProblem } from '../../../src/scenario/index.js'

const loader = createScenarioLoader(
  JSON.parse(
    readFileSync(new URL('../../../spec/callsim-scenario.schema.json', import.meta.url), 'utf8'),
  ) as object,
  [
    JSON.parse(
      readFileSync(new URL('../../../spec/callsim-steps.schema.json', import.meta.url), 'utf8'),
    ) as object,
  ],
)

function lifecycleOf(steps: string): Lifecycle {
  const loaded = loader.load([
    {
      text: `description: Script.\nlifecycle:\n${steps}`,
      source: 'scenarios/script.yaml',
      stem: 'script',
    },
  ])
  if (!loaded.ok) throw new Error(loaded.error.map(formatScenarioProblem).join('\n'))
  return (loaded.value[0] as { lifecycle: Lifecycle }).lifecycle
}

/** A network on a virtual clock, and a call placed from Alice to Bob under `lifecycle`. */
function setup(lifecycle: Lifecycle) {
  const clock = new VirtualClock()
  const network = new Network({
    clock,
    faker: createFaker(42),
    random: createRandom(42),
    events: new DomainEvents(),
  })
  const { call } = network.placeCall({
    originator: { address: 'tel:+15550001' },
    receiver: { address: 'tel:+15550002' },
    offer: { sdp: 'v=0' },
    owner: 'tel:+15550001',
    scenarioId: 'script',
    lifecycle,
  })
  return { clock, network, call }
}

const history = (call: Call) => call.timeline.entries().map((entry) => `${entry.to}/${entry.by}`)

test('status Connected is an answer with the far end SDP; reject is Declined by the callee', () => {
  expect(
    lifecycleOf(
      '  - after: 1s\n    status: Connected\n  - after: 1s\n    action: reject\n',
    ).steps.map((s) => s.action),
  ).toEqual([{ kind: 'answer' }, { kind: 'status', status: 'Declined' }])
  const { clock, call } = setup(
    lifecycleOf('  - after: 1s\n    status: Ringing\n  - after: 2s\n    action: reject\n'),
  )
  clock.advance(3000)
  expect(history(call)).toEqual(['Initial/A', 'Ringing/B', 'Declined/B'])
  expect(call.endedReason).toBe('603')
})

test('at counts from the creation of the call, after from the previous step', () => {
  const { clock, call } = setup(
    lifecycleOf(
      '  - after: 1s\n    status: InProgress\n  - at: 1500ms\n    status: Ringing\n  - after: 1s\n    action: answer\n',
    ),
  )
  clock.advance(1499)
  expect(call.status).toBe('InProgress')
  clock.advance(1)
  expect(call.status).toBe('Ringing')
  clock.advance(1000)
  expect(call.status).toBe('Connected')
  expect(call.answer?.sdp).toMatch(/^v=0/)
})

test('an incoming-call step offers the client a new call whose caller plays its own script', () => {
  const { clock, network, call } = setup(
    lifecycleOf(`  - after: 1s
    action: answer
  - after: 5s
    action: incoming-call
    from: tel:+15550100999
    lifecycle:
      - after: 20s
        action: hang-up
`),
  )
  clock.advance(6000)
  const incoming = [...network.allCalls()].find((c) => c.id !== call.id)
  expect(incoming).toMatchObject({
    side: 'terminating',
    status: 'Initial',
    originator: { address: 'tel:+15550100999' },
    receiver: { address: 'tel:+15550001' },
    owner: 'tel:+15550001',
    scenarioId: 'script',
  })
  expect(incoming?.offer?.sdp).toMatch(/^v=0/)
  clock.advance(20_000)
  expect(incoming?.status).toBe('SessionCancelled')
  expect(incoming?.endedBy).toBe('A')
  expect(call.status).toBe('Connected')
})

test('an incoming call may go to another address, which then owns it', () => {
  const { clock, network, call } = setup(
    lifecycleOf('  - after: 1s\n    action: incoming-call\n    to: tel:+15550003\n'),
  )
  clock.advance(1000)
  const incoming = [...network.allCalls()].find((c) => c.id !== call.id)
  expect(incoming).toMatchObject({
    receiver: { address: 'tel:+15550003' },
    owner: 'tel:+15550003',
    originator: { address: 'tel:+15550002' },
  })
})

test('steps after the call has ended do not run', () => {
  const { clock, network, call } = setup(
    lifecycleOf('  - after: 1s\n    status: Busy\n  - after: 1s\n    action: incoming-call\n'),
  )
  clock.advance(5000)
  expect(call.status).toBe('Busy')
  expect(network.size).toBe(1)
})
