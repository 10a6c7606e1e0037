import type { ChangeBatch } from './types.js'

/** What the page shows now, as far as a batch of changes decides what it re-reads. */
export interface PageView {
  /** The call whose ladder is open, if any. */
  readonly selectedCall: string | undefined
  /** The calls on the list's page now. */
  readonly visibleCalls: readonly string[]
  /** Whether the list is filtered: then any call's change may bring it in or take it out. */
  readonly filtered: boolean
  readonly journalVisible: boolean
}

/** The page's reads that a batch makes stale. */
export interface RefreshPlan {
  readonly calls: boolean
  readonly ladder: boolean
  readonly journal: boolean
  readonly scenarios: boolean
}

/**
 * Which reads a batch of changes calls for: the calls page when a call was made or expired (pages
 * and totals move) or a call on it changed (any call, when filtered), the open ladder only when
 * its own call or its requests and deliveries changed (the stream opened for that call says so
 * in `callChanged`), the journal only while it is on screen.
 * The bench's console client (bench/console-client.js) runs this same function, so that what it
 * costs the server is what an open page costs.
 */
export function planRefresh(batch: ChangeBatch, view: PageView): RefreshPlan {
  const selected = view.selectedCall
  return {
    calls:
      batch.createdOrExpired ||
      batch.moreCalls ||
      batch.reset ||
      (batch.calls.length > 0 &&
        (view.filtered || batch.calls.some((id) => view.visibleCalls.includes(id)))),
    ladder:
      selected !== undefined &&
      (batch.reset ||
        // The stream was opened for the selected call: it says whether that call changed.
        (batch.callChanged ??
          (batch.calls.includes(selected) ||
            batch.ladders.includes(selected) ||
            batch.moreCalls ||
            batch.moreLadders))),
    journal: (batch.journal || batch.reset) && view.journalVisible,
    scenarios: batch.scenarios || batch.reset,
  }
}
