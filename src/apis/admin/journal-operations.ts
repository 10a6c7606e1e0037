import type { OperationHandler } from '../face.js'
import type { Control, JournalRecord } from './control.js'
import { journalEntryNotFound } from './errors.js'

const hasViolations = (entry: JournalRecord): boolean =>
  entry.requestViolations.length > 0 || entry.responseViolations.length > 0

/** The journal routes: the most recent requests, filtered, and one entry with its bodies. */
export function createJournalAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    listJournal: (request) => {
      const { query } = request
      const { total, items } = control.journal(undefined, query.bodies === true)
      const chosen = items.filter(
        (entry) =>
          (query.face === undefined || entry.face === query.face) &&
          (query.control !== false || entry.face !== 'admin') &&
          (query.operationId === undefined || entry.operationId === query.operationId) &&
          (query.status === undefined || entry.status === query.status) &&
          (query.violations !== true || hasViolations(entry)),
      )
      const limit = Number(query.limit ?? 100)
      return { status: 200, body: { total, entries: chosen.slice(-limit) } }
    },
    getJournalEntry: (request) => {
      const seq = Number(request.pathParams.seq)
      const entry = control.journal(undefined, true).items.find((item) => item.seq === seq)
      if (!entry) return journalEntryNotFound(seq)
      return { status: 200, body: entry }
    },
  }
}
