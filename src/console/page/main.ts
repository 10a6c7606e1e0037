import { ApiError, adminToken, callApi, whenUnauthenticated } from './api.js'
import { createCallsView } from './calls-view.js'
import { listenToChanges, type StreamState } from './change-stream.js'
import { createControls } from './controls.js'
import { byId, createRefresher } from './dom.js'
import { createJournalView } from './journal-view.js'
import { renderCallDetail } from './ladder-view.js'
import { planRefresh } from './refresh-plan.js'
import type { CallLadder, ChangeBatch, ClockStatus } from './types.js'

const status = byId('status')
const say = (message: string): void => {
  status.textContent = message
}

const detailTitle = byId('detail-title')
const detailBody = byId('detail-body')
const showDetail = (title: string, body: string): void => {
  detailTitle.textContent = title
  detailBody.textContent = body
  byId('detail').hidden = false
}

let selectedCall: string | undefined
const ladderPanel = byId('ladder')
const refreshLadder = createRefresher(async () => {
  if (selectedCall === undefined) return
  try {
    const ladder = await callApi<CallLadder>(
      'GET',
      `/calls/${encodeURIComponent(selectedCall)}/ladder`,
    )
    ladderPanel.replaceChildren(
      renderCallDetail(ladder, (step) => showDetail(step.payload.title, step.payload.body)),
    )
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      ladderPanel.textContent = `Call ${selectedCall} is no longer in the network.`
      return
    }
    throw error
  }
}, ladderPanel)

const calls = createCallsView((callId) => {
  selectedCall = callId
  calls.select(callId)
  refreshLadder()
  // Opened anew for this call, the stream says in each batch whether the call changed.
  stream.watchCall(callId)
})
const refreshCalls = createRefresher(calls.refresh, byId('calls-panel'))
const journal = createJournalView(showDetail)
const refreshJournal = createRefresher(journal.refresh, byId('journal-panel'))
const controls = createControls(say)
const refreshScenarios = createRefresher(async () => {
  await controls.loadScenarios()
  await controls.loadActivations()
}, byId('scenario-form'))

// Tabs: the calls view and the journal view.
const tabs = document.querySelectorAll<HTMLButtonElement>('[role="tab"]')
const selectTab = (chosen: HTMLButtonElement): void => {
  for (const tab of tabs) {
    const selected = tab === chosen
    tab.setAttribute('aria-selected', String(selected))
    tab.tabIndex = selected ? 0 : -1
    byId(tab.getAttribute('aria-controls') ?? '').hidden = !selected
  }
  if (chosen.id === 'tab-journal') refreshJournal()
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab))
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    const list = [...tabs]
    const next =
      list[(list.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : list.length - 1)) % list.length]
    if (next) {
      selectTab(next)
      next.focus()
    }
  })
}
byId('detail-close').addEventListener('click', () => {
  byId('detail').hidden = true
})

const loadEverything = (): void => {
  void controls.loadClock().catch(() => undefined)
  refreshScenarios()
  refreshCalls()
  refreshJournal()
  refreshLadder()
}

// The admin token: asked for when the control API answers 401, kept for this tab only.
const tokenForm = byId<HTMLFormElement>('token-form')
whenUnauthenticated((message) => {
  byId('token-message').textContent = message
  tokenForm.hidden = false
  byId<HTMLInputElement>('admin-token').focus()
})
tokenForm.addEventListener('submit', (event) => {
  event.preventDefault()
  const input = byId<HTMLInputElement>('admin-token')
  adminToken.set(input.value.trim())
  input.value = ''
  tokenForm.hidden = true
  stream.reconnect()
  loadEverything()
})
byId('forget-token').addEventListener('click', () => {
  adminToken.clear()
  say('The admin token was forgotten for this tab.')
})

const live = byId('live')
const stream = listenToChanges(
  (name, data) => {
    if (name === 'ready') {
      controls.showClock((data as { clock: ClockStatus }).clock)
      loadEverything()
      return
    }
    if (name !== 'change') return
    const batch = data as ChangeBatch
    controls.showClock(batch.clock)
    const plan = planRefresh(batch, {
      selectedCall,
      visibleCalls: calls.visibleCalls(),
      filtered: calls.filtered(),
      journalVisible: !byId('journal-panel').hidden,
    })
    if (plan.calls) refreshCalls()
    if (plan.ladder) refreshLadder()
    if (plan.journal) refreshJournal()
    if (plan.scenarios) refreshScenarios()
  },
  (state: StreamState, reason?: string) => {
    live.textContent = {
      connecting: 'connecting…',
      live: 'live',
      unauthenticated: 'needs the admin token',
      refused: 'refused by callsim',
      offline: 'offline, reconnecting…',
    }[state]
    live.dataset.state = state
    if (reason !== undefined) say(reason)
    if (state === 'unauthenticated') void callApi('GET', '/clock').catch(() => undefined)
  },
)
