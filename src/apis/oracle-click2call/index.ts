import type { CompiledSpec } from '../../contract/index.js'
import {
  createFaker,
  type Clock,
  type DomainEvents,
  type Network,
  type StateChanges,
} from '../../core/index.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import type { CallTemplates } from './call-templates.js'
import { Click2CallSessions } from './click2call-sessions.js'
import {
  formatClick2CallInjectedError,
  formatClick2CallProtocolError,
  toClick2CallJsonpReply,
} from './errors.js'
import { FACE_ID, REMOTE_ADDRESSES, createOperations } from './operations.js'

export {
  DEFAULT_CALL_TEMPLATES_FILE,
  parseCallTemplates,
  type CallTemplates,
} from './call-templates.js'

export interface Click2CallFaceDeps {
  readonly network: Network
  readonly clock: Clock
  readonly events: DomainEvents
  readonly templates: CallTemplates
  /** Seeds the session ids, so a seeded run hands out the same ids. */
  readonly seed: number
  /** The network's retention of finished calls. */
  readonly retentionMs: number
  /** Records how to undo each change, while a request's change is open. */
  readonly changes?: StateChanges
}

/**
 * The Oracle Click2Call Call Setup 2.0 face: start (possibly delayed), poll and end calls,
 * as JSON or, for web pages, as JSONP.
 */
export function createClick2CallFace(spec: CompiledSpec, deps: Click2CallFaceDeps): Face {
  const sessions = new Click2CallSessions({
    network: deps.network,
    clock: deps.clock,
    events: deps.events,
    faker: createFaker(deps.seed),
    retentionMs: deps.retentionMs,
    changes: deps.changes,
  })
  const handlers = createOperations({
    sessions,
    templates: deps.templates,
  })
  assertHandlersCoverSpec(FACE_ID, spec, handlers)
  return {
    id: FACE_ID,
    spec,
    basePath: spec.spec.basePath,
    handlers,
    formatError: formatClick2CallProtocolError,
    formatInjectedError: formatClick2CallInjectedError,
    toJsonpReply: toClick2CallJsonpReply,
    remoteAddresses: REMOTE_ADDRESSES,
    reset: () => sessions.reset(),
  }
}
