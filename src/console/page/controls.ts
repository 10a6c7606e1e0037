import { callApi } from './api.js'
import { byId, h } from './dom.js'
import type { Activations, ClockStatus, ScenarioSummary } from './types.js'

/** The controls: clock, reset, scenario activation and incoming calls, all through /_callsim. */
export function createControls(say: (message: string) => void) {
  const clockText = byId('clock-now')
  const nextStep = byId<HTMLButtonElement>('clock-next')
  const advanceButtons = document.querySelectorAll<HTMLButtonElement>('[data-advance]')
  const durationForm = byId<HTMLFormElement>('clock-form')
  const scenarioForm = byId<HTMLFormElement>('scenario-form')
  const scenarioSelect = byId<HTMLSelectElement>('scenario-id')
  const scenarioFilter = byId<HTMLSelectElement>('filter-scenario')
  const activationsText = byId('activations')
  const incomingForm = byId<HTMLFormElement>('incoming-form')
  let clock: ClockStatus | undefined

  const showClock = (status: ClockStatus): void => {
    clock = status
    const due = status.nextDueAt ? `, next step at ${status.nextDueAt.slice(11, 23)}` : ''
    clockText.textContent = `${status.now.replace('T', ' ').replace('Z', '')} (${status.kind} clock, ${status.pendingTasks} pending${due})`
    const virtual = status.kind === 'virtual'
    for (const button of advanceButtons) button.disabled = !virtual
    nextStep.disabled = !virtual || status.nextDueAt === undefined
  }

  const advance = async (by: string | number): Promise<void> => {
    try {
      const status = await callApi<ClockStatus>('POST', '/clock', { advance: by })
      showClock(status)
      say(
        `Clock advanced by ${typeof by === 'number' ? `${by} ms` : by}: ${status.fired ?? 0} tasks fired.`,
      )
    } catch (error) {
      say(`Failed to advance the clock: ${(error as Error).message}`)
    }
  }

  for (const button of advanceButtons) {
    button.addEventListener('click', () => void advance(button.dataset.advance ?? '1s'))
  }
  nextStep.addEventListener('click', () => {
    if (!clock?.nextDueAt) return
    void advance(Math.max(0, Date.parse(clock.nextDueAt) - Date.parse(clock.now)))
  })
  durationForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const input = byId<HTMLInputElement>('clock-duration')
    if (input.value.trim() !== '') void advance(input.value.trim())
  })
  byId('reset').addEventListener('click', () => {
    if (!window.confirm('Forget every call, journal entry, violation and activation?')) return
    callApi('POST', '/reset').then(
      () => say('The simulator was reset.'),
      (error: Error) => say(`Failed to reset: ${error.message}`),
    )
  })

  const subscriberPath = (): string => {
    const subscriber = byId<HTMLInputElement>('scenario-subscriber').value.trim()
    return subscriber === ''
      ? '/activations/global'
      : `/activations/subscribers/${encodeURIComponent(subscriber)}`
  }
  scenarioForm.addEventListener('submit', (event) => {
    event.preventDefault()
    callApi('PUT', subscriberPath(), { scenarioId: scenarioSelect.value }).then(
      () => say(`Scenario ${scenarioSelect.value} activated.`),
      (error: Error) => say(`Failed to activate: ${error.message}`),
    )
  })
  byId('scenario-deactivate').addEventListener('click', () => {
    callApi('DELETE', subscriberPath()).then(
      () => say('Scenario deactivated.'),
      (error: Error) => say(`Failed to deactivate: ${error.message}`),
    )
  })
  incomingForm.addEventListener('submit', (event) => {
    event.preventDefault()
    const from = byId<HTMLInputElement>('incoming-from').value.trim()
    const to = byId<HTMLInputElement>('incoming-to').value.trim()
    callApi<{ id: string }>('POST', '/calls/incoming', { from, to }).then(
      (call) => say(`Incoming call ${call.id} offered to ${to}.`),
      (error: Error) => say(`Failed to start the incoming call: ${error.message}`),
    )
  })

  const loadScenarios = async (): Promise<void> => {
    const { scenarios } = await callApi<{ scenarios: readonly ScenarioSummary[] }>(
      'GET',
      '/scenarios',
    )
    const options = (extra: HTMLOptionElement[]) => [
      ...extra,
      ...scenarios.map((scenario) =>
        h('option', { value: scenario.id, title: scenario.description }, [scenario.id]),
      ),
    ]
    const picked = scenarioSelect.value
    scenarioSelect.replaceChildren(...options([]))
    if (picked !== '') scenarioSelect.value = picked
    const chosen = scenarioFilter.value
    scenarioFilter.replaceChildren(...options([h('option', { value: '' }, ['any'])]))
    scenarioFilter.value = chosen
  }

  const loadActivations = async (): Promise<void> => {
    const activations = await callApi<Activations>('GET', '/activations')
    const parts = [
      `everyone: ${activations.global ?? 'none'}`,
      ...activations.subscribers.map((item) => `${item.subscriber}: ${item.scenarioId}`),
    ]
    activationsText.textContent = `Active: ${parts.join('; ')}`
  }

  return {
    showClock,
    loadScenarios,
    loadActivations,
    loadClock: async (): Promise<void> => showClock(await callApi<ClockStatus>('GET', '/clock')),
  }
}
