import type { CompiledSpec } from '../../contract/index.js'
import {
  answerUndeclaredErrorsAsCommonalities,
  formatCamaraInjectedError,
} from '../camara-common/error-info.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import { formatCallHandlingProtocolError } from './errors.js'
import { FACE_ID, REMOTE_ADDRESSES, createOperations, type CallHandlingDeps } from './operations.js'

export type { CallHandlingDeps }

/** The CAMARA WebRTC Call Handling face: create, read, update and end media sessions. */
export function createCallHandlingFace(spec: CompiledSpec, deps: CallHandlingDeps): Face {
  const handlers = answerUndeclaredErrorsAsCommonalities(createOperations(deps))
  assertHandlersCoverSpec(FACE_ID, spec, handlers)
  return {
    id: FACE_ID,
    spec,
    basePath: spec.spec.basePath,
    handlers,
    formatError: formatCallHandlingProtocolError,
    formatInjectedError: formatCamaraInjectedError,
    remoteAddresses: REMOTE_ADDRESSES,
  }
}
