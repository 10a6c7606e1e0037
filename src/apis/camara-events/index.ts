import type { CompileCache, CompiledSpec } from '../../contract/index.js'
import {
  answerUndeclaredErrorsAsCommonalities,
  formatCamaraInjectedError,
} from '../camara-common/error-info.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import { allowHttpSinks } from './allow-http-sinks.js'
import { createEventsProtocolErrorFormatter } from './errors.js'
import {
  FACE_ID,
  createOperations,
  type DeviceProblem,
  type EventsDeps,
  type SubscriptionDetail,
} from './operations.js'

export { HTTPS_OR_LOOPBACK_HTTP } from './allow-http-sinks.js'
export type { DeviceProblem, EventsDeps, SubscriptionDetail }

/**
 * The CAMARA WebRTC Events face: subscriptions to session, invitation and registration events.
 * The events themselves are sent by notify/, which reads the same subscription store.
 */
export function createEventsFace(
  spec: CompiledSpec,
  deps: EventsDeps & { readonly compileCache: CompileCache },
): Face {
  const served = deps.allowHttpSinks ? allowHttpSinks(spec, deps.compileCache) : spec
  const handlers = answerUndeclaredErrorsAsCommonalities(createOperations(deps))
  assertHandlersCoverSpec(FACE_ID, served, handlers)
  return {
    id: FACE_ID,
    spec: served,
    basePath: served.spec.basePath,
    handlers,
    formatError: createEventsProtocolErrorFormatter(deps.allowHttpSinks),
    formatInjectedError: formatCamaraInjectedError,
  }
}
