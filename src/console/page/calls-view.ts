import { callApi, query } from './api.js'
import { byId, h } from './dom.js'
import type { CallRow } from './types.js'

const PAGE_SIZE = 50

interface CallsPage {
  readonly total: number
  readonly calls: readonly CallRow[]
}

/**
 * The calls list: filters, newest first, one page at a time (the server filters and pages, so
 * 100k calls cost the page no more than 50).
 */
export function createCallsView(onOpen: (callId: string) => void) {
  const form = byId<HTMLFormElement>('call-filters')
  const body = byId<HTMLTableSectionElement>('calls-body')
  const position = byId('calls-position')
  const previous = byId<HTMLButtonElement>('calls-previous')
  const next = byId<HTMLButtonElement>('calls-next')
  let offset = 0
  let selected: string | undefined
  let shown: readonly string[] = []
  const filters = ['subscriber', 'status', 'face', 'scenario']

  const field = (name: string): string =>
    (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ??
    ''

  const row = (call: CallRow): HTMLTableRowElement =>
    h('tr', { class: call.id === selected ? 'selected' : undefined, 'data-call-id': call.id }, [
      h('td', {}, [
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            'aria-label': `${call.id.slice(0, 8)}: show the ladder of call ${call.id}`,
          },
          [call.id.slice(0, 8)],
          {
            click: () => onOpen(call.id),
          },
        ),
      ]),
      h('td', {}, [call.createdAt.replace('T', ' ').replace('Z', '')]),
      h('td', {}, [call.originatorAddress]),
      h('td', {}, [call.receiverAddress]),
      h('td', { 'data-status': call.status }, [call.status]),
      h('td', {}, [call.via ?? '—']),
      h('td', {}, [call.scenarioId]),
    ])

  const refresh = async (): Promise<void> => {
    const page = await callApi<CallsPage>(
      'GET',
      `/calls${query({
        order: 'newest',
        offset,
        limit: PAGE_SIZE,
        // The rows show no timeline; leaving it out makes the page re-read on every change cheap.
        timeline: false,
        ...Object.fromEntries(filters.map((name) => [name, field(name)])),
      })}`,
    )
    if (page.total > 0 && offset >= page.total) {
      offset = Math.max(0, Math.floor((page.total - 1) / PAGE_SIZE) * PAGE_SIZE)
      return refresh()
    }
    shown = page.calls.map((call) => call.id)
    body.replaceChildren(
      ...(page.calls.length === 0
        ? [h('tr', {}, [h('td', { colspan: 7 }, ['No calls match.'])])]
        : page.calls.map(row)),
    )
    const last = Math.min(offset + PAGE_SIZE, page.total)
    position.textContent =
      page.total === 0 ? '0 calls' : `${offset + 1}–${last} of ${page.total} calls, newest first`
    previous.disabled = offset === 0
    next.disabled = last >= page.total
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    offset = 0
    void refresh()
  })
  form.addEventListener('change', () => {
    offset = 0
    void refresh()
  })
  previous.addEventListener('click', () => {
    offset = Math.max(0, offset - PAGE_SIZE)
    void refresh()
  })
  next.addEventListener('click', () => {
    offset += PAGE_SIZE
    void refresh()
  })

  return {
    refresh,
    /** The ids of the calls on the page now. */
    visibleCalls: (): readonly string[] => shown,
    filtered: (): boolean => filters.some((name) => field(name) !== ''),
    select(callId: string | undefined): void {
      selected = callId
      for (const tr of body.querySelectorAll('tr[data-call-id]')) {
        tr.classList.toggle('selected', tr.getAttribute('data-call-id') === callId)
      }
    },
  }
}
