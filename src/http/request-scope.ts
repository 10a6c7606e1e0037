import { AsyncLocalStorage } from 'node:async_hooks'
import type { RequestContext } from './request-context.js'

const scope = new AsyncLocalStorage<RequestContext>()

/** Runs a face's handler with its request context reachable from the code the handler calls. */
export function runInRequestScope<T>(context: RequestContext, task: () => T): T {
  return scope.run(context, task)
}

/**
 * Records the scenario that scripts the call a handler creates. Faces learn it through
 * SelectLifecycle, where a magic number (a `match` on the remote address, which only the face
 * can read) may pick another scenario than the fault stage saw; the journal shows that one.
 */
export function noteGoverningScenario(scenarioId: string): void {
  const context = scope.getStore()
  if (context) context.scenarioId = scenarioId
}
