import type { CompiledSpec } from '../../contract/index.js'
import type { Network } from '../../core/index.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import { createVendorFaker } from './create-vendor-faker.js'
import { createSbcProtocolErrorFormatter, formatSbcInjectedError } from './errors.js'
import { FACE_ID, createOperations } from './operations.js'

export {
  toSbcSession,
  toSbcSessionSummary,
  toSbcNumber,
  customerIdOf,
  type SbcSession,
  type SbcSessionSummary,
} from './to-sbc-session.js'

export interface SbcFaceDeps {
  readonly network: Network
}

/** The TelecomX SBC session face: read-only session records of the network's calls. */
export function createSbcFace(spec: CompiledSpec, deps: SbcFaceDeps): Face {
  const handlers = createOperations({ network: deps.network, faker: createVendorFaker() })
  assertHandlersCoverSpec(FACE_ID, spec, handlers)
  const basePath = spec.spec.basePath
  return {
    id: FACE_ID,
    spec,
    basePath,
    handlers,
    formatError: createSbcProtocolErrorFormatter(basePath),
    formatInjectedError: formatSbcInjectedError,
  }
}
