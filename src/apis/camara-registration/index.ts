import { answerUndeclaredErrorsAsCommonalities } from '../camara-common/error-info.js'
import type { CompiledSpec } from '../../contract/index.js'
import { assertHandlersCoverSpec, type Face } from '../face.js'
import { formatRegistrationProtocolError } from './errors.js'
import { FACE_ID, createOperations, type RegistrationDeps } from './operations.js'

export type { RegistrationDeps }

/** The CAMARA WebRTC Registration face: devices register before they place or receive calls. */
export function createRegistrationFace(spec: CompiledSpec, deps: RegistrationDeps): Face {
  const handlers = answerUndeclaredErrorsAsCommonalities(createOperations(deps))
  assertHandlersCoverSpec(FACE_ID, spec, handlers)
  return {
    id: FACE_ID,
    spec,
    basePath: spec.spec.basePath,
    handlers,
    formatError: formatRegistrationProtocolError,
  }
}
