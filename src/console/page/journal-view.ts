import { callApi, query } from './api.js'
import { bodyText } from './body-text.js'
import { byId, h } from './dom.js'
import type { JournalEntry } from './types.js'

const JOURNAL_ROWS = 100

/**
 * The journal: every request with its verdict, the newest on top. A request that broke its
 * spec is highlighted with each violation's schema path and message.
 */
export function createJournalView(onShow: (title: string, body: string) => void) {
  const form = byId<HTMLFormElement>('journal-filters')
  const body = byId<HTMLTableSectionElement>('journal-body')
  const summary = byId('journal-summary')

  const field = (name: string): string =>
    (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value.trim() ??
    ''
  const checked = (name: string): boolean =>
    (form.elements.namedItem(name) as HTMLInputElement | null)?.checked ?? false

  const show = async (seq: number): Promise<void> => {
    const entry = await callApi<JournalEntry>('GET', `/journal/${seq}`)
    onShow(
      `Journal entry #${entry.seq}: ${entry.method} ${entry.path} → ${entry.status}`,
      `Request\n${bodyText(entry.requestBody, entry.requestBodyDropped)}\n\nResponse ${entry.status}\n${bodyText(entry.responseBody, entry.responseBodyDropped)}`,
    )
  }

  const row = (entry: JournalEntry): HTMLTableRowElement => {
    const violations = [...entry.requestViolations, ...entry.responseViolations]
    return h(
      'tr',
      { class: violations.length > 0 ? 'violation' : undefined, 'data-seq': entry.seq },
      [
        h('td', {}, [
          h(
            'button',
            {
              type: 'button',
              class: 'link',
              'aria-label': `#${entry.seq}: show the bodies of this request`,
            },
            [`#${entry.seq}`],
            {
              click: () => void show(entry.seq),
            },
          ),
        ]),
        h('td', {}, [entry.at.slice(11, 23)]),
        h('td', {}, [entry.face ?? '—']),
        h('td', { class: 'request' }, [`${entry.method} ${entry.path}`]),
        h('td', {}, [entry.operationId ?? '—']),
        h('td', {}, [String(entry.status)]),
        h('td', {}, [`${entry.durationMs.toFixed(1)} ms`]),
        h('td', { class: 'verdict' }, [
          violations.length === 0
            ? 'valid'
            : h(
                'ul',
                { class: 'violations' },
                violations.map((v) =>
                  h('li', {}, [h('code', {}, [`${v.direction} ${v.path}`]), ` ${v.message}`]),
                ),
              ),
        ]),
      ],
    )
  }

  const refresh = async (): Promise<void> => {
    const status = field('status')
    const page = await callApi<{ total: number; entries: readonly JournalEntry[] }>(
      'GET',
      `/journal${query({
        limit: JOURNAL_ROWS,
        face: field('face'),
        control: checked('control') ? undefined : false,
        operationId: field('operationId'),
        status: /^\d{1,3}$/.test(status) ? status : undefined,
        violations: checked('violations') ? true : undefined,
      })}`,
    )
    const entries = [...page.entries].reverse()
    body.replaceChildren(
      ...(entries.length === 0
        ? [h('tr', {}, [h('td', { colspan: 8 }, ['No requests match.'])])]
        : entries.map(row)),
    )
    summary.textContent = `${entries.length} shown of ${page.total} requests recorded`
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault()
    void refresh()
  })
  form.addEventListener('change', () => void refresh())
  return { refresh }
}
