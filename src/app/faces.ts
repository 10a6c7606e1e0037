import { createAdminFace, createCallHandlingFace, type Control, type Face, type SelectLifecycle } from '../apis/index.js'
import type { CompiledSpec } from '../contract/index.js'
import type { Network } from '../core/index.js'

/** What a face needs from the running simulator. */
export interface FaceDeps {
  readonly network: Network
  readonly control: Control
  readonly selectLifecycle: SelectLifecycle
}

export interface FaceDefinition {
  readonly id: string
  /** The built-in spec, relative to the package root. */
  readonly specFile: string
  readonly create: (spec: CompiledSpec, deps: FaceDeps) => Face
}

/** Every face callsim serves. A user spec replaces the built-in one that shares its operationIds. */
export const FACE_DEFINITIONS: readonly FaceDefinition[] = [
  {
    id: 'camara-call-handling',
    specFile: 'spec/camara/webrtc-call-handling.yaml',
    create: (spec, deps) => createCallHandlingFace(spec, { network: deps.network, selectLifecycle: deps.selectLifecycle }),
  },
  {
    id: 'admin',
    specFile: 'spec/callsim-admin.yaml',
    create: (spec, deps) => createAdminFace(spec, deps.control),
  },
]
