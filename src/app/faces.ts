import {
  createAdminFace,
  createCallHandlingFace,
  createClick2CallFace,
  createEventsFace,
  createRegistrationFace,
  createSbcFace,
  type CallTemplates,
  type Control,
  type Face,
} from '../apis/index.js'
import type { CompileCache, CompiledSpec } from '../contract/index.js'
import {
  ok,
  type Clock,
  type DomainEvents,
  type Network,
  type Registrations,
  type StateChanges,
  type Subscriptions,
} from '../core/index.js'
import { checkDevice } from './create-events-feature.js'
import type { SimulatorOptions } from './options.js'

/** What a face needs from the running simulator. */
interface FaceDeps {
  readonly network: Network
  readonly control: Control
  readonly registrations: Registrations
  /** `optional` accepts any registrationId on createSession (docs/decisions/003-registration-check.md). */
  readonly registration: SimulatorOptions['registration']
  readonly clock: Clock
  readonly events: DomainEvents
  /** Each request's changes: stores beside the network record how to undo theirs. */
  readonly changes: StateChanges
  readonly seed: number
  readonly retentionMs: number
  /** Click2Call contactId → contact centre (config/call-templates.yaml or --call-templates). */
  readonly callTemplates: CallTemplates
  /** The event subscriptions the Events face manages and the notifier delivers to. */
  readonly subscriptions: Subscriptions
  /** Accept http:// sinks on loopback addresses (docs/events.md). */
  readonly allowHttpSinks: boolean
  /** Where the Events face compiles its spec relaxed for allowHttpSinks. */
  readonly compileCache: CompileCache
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
    create: (spec, deps) =>
      createCallHandlingFace(spec, {
        network: deps.network,
        checkRegistration:
          deps.registration === 'optional'
            ? undefined
            : (registrationId, principal) => {
                const checked = deps.registrations.check(registrationId, principal?.sub)
                return checked.ok ? ok(undefined) : checked
              },
      }),
  },
  {
    id: 'camara-registration',
    specFile: 'spec/camara/webrtc-registration.yaml',
    create: (spec, deps) => createRegistrationFace(spec, { registrations: deps.registrations }),
  },
  {
    id: 'telecomx-sbc',
    specFile: 'spec/telecomx/sbc-session.yaml',
    create: (spec, deps) =>
      createSbcFace(spec, { events: deps.events, calls: () => deps.network.allCalls() }),
  },
  {
    id: 'oracle-click2call',
    specFile: 'spec/oracle/click2call.yaml',
    create: (spec, deps) =>
      createClick2CallFace(spec, {
        network: deps.network,
        clock: deps.clock,
        events: deps.events,
        templates: deps.callTemplates,
        // Its own seed, so starting a click-to-call does not shift the network's seeded ids.
        seed: deps.seed + 2,
        retentionMs: deps.retentionMs,
        changes: deps.changes,
      }),
  },
  {
    id: 'camara-events',
    specFile: 'spec/camara/webrtc-events.yaml',
    create: (spec, deps) =>
      createEventsFace(spec, {
        subscriptions: deps.subscriptions,
        allowHttpSinks: deps.allowHttpSinks,
        compileCache: deps.compileCache,
        checkDevice:
          deps.registration === 'optional'
            ? undefined
            : (detail, subscriber) => checkDevice(deps.registrations, detail, subscriber),
      }),
  },
  {
    id: 'admin',
    specFile: 'spec/callsim-admin.yaml',
    create: (spec, deps) => createAdminFace(spec, deps.control),
  },
]
