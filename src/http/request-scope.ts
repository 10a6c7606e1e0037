import type { RequestContext } from './request-context.js'

// Handlers run synchronously (an async one sees the context only until its first await), so a
// variable set around the call is enough. AsyncLocalStorage did the same at ~5 µs a request,
// and its promise hooks slowed every other promise in the process as well.
let current: RequestContext | undefined

/** Runs a face's handler with its request context reachable from the code the handler calls. */
export function runInRequestScope<T>(context: RequestContext, task: () => T): T {
  const outer = current
  current = context
  try {
    return task()
  } finally {
    current = outer
  }
}

/**
 * Records the scenario that scripts the call a handler creates. Faces learn it through
 * SelectLifecycle, where a magic number (a `match` on the remote address, which only the face
 * can read) may pick another scenario than the fault stage saw; the journal shows that one.
 */
export function noteGoverningScenario(scenarioId: string): void {
  if (current) current.scenarioId = scenarioId
}
