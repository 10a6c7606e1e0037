import type { CompiledSpec } from '../../contract/index.js'
import { formatCamaraProtocolError } from '../camara-common/error-info.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import type { Control } from './control.js'
import { createAdminOperations } from './operations.js'

export { MAX_BATCH_CALLS, MAX_LADDER_EXCHANGES } from './control.js'
export type {
  ChangeBatch,
  ClockStatus,
  Control,
  IncomingCallError,
  IncomingCallRequest,
  IssuedToken,
  TokenRequest,
} from './control.js'

/** The /_callsim control face, described by spec/callsim-admin.yaml and validated like the rest. */
export function createAdminFace(spec: CompiledSpec, control: Control): Face {
  const handlers = createAdminOperations(control)
  assertHandlersCoverSpec('admin', spec, handlers)
  return {
    id: 'admin',
    spec,
    basePath: spec.spec.basePath,
    handlers,
    formatError: formatCamaraProtocolError,
    controlPlane: true,
    refuseCredentials: (authorization) => control.refuseAdmin(authorization),
  }
}
