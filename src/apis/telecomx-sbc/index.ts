import type { CompiledSpec } from '../../contract/index.js'
import type { Call, DomainEvents } from '../../core/index.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import { createVendorFaker } from './create-vendor-faker.js'
import { createSbcProtocolErrorFormatter, formatSbcInjectedError } from './errors.js'
import { FACE_ID, createOperations } from './operations.js'
import { SbcSessionIndex } from './sbc-session-index.js'

export { customerIdOf } from './sbc-numbers.js'
export interface SbcFaceDeps {
  /** The network's domain events, from which the face keeps its session index. */
  readonly events: DomainEvents
  /** The network's calls in creation order, from which the index is built on first use. */
  readonly calls: () => Iterable<Call>
}

/** The TelecomX SBC session face: read-only session records of the network's calls. */
export function createSbcFace(spec: CompiledSpec, deps: SbcFaceDeps): Face {
  const sessions = new SbcSessionIndex(deps.events, deps.calls)
  const handlers = createOperations({ sessions, faker: createVendorFaker() })
  assertHandlersCoverSpec(FACE_ID, spec, handlers)
  const basePath = spec.spec.basePath
  return {
    id: FACE_ID,
    spec,
    basePath,
    handlers,
    formatError: createSbcProtocolErrorFormatter(basePath),
    formatInjectedError: formatSbcInjectedError,
    reset: () => sessions.reset(),
  }
}
