// Just over 300 lines: the composition root wires every part in one place on purpose, so the
// order of construction (clock, network, faces, scenarios, HTTP app) reads top to bottom.
import path from 'node:path'
import type { Express } from 'express'
import { MAX_LADDER_EXCHANGES, type Control, type Face } from '../apis/index.js'
import {
  formatSpecProblem,
  loadSpec,
  type CompileCache,
  type CompiledSpec,
} from '../contract/index.js'
import {
  DomainEvents,
  Network,
  LATEST_VIRTUAL_MS,
  Registrations,
  StateChanges,
  VirtualClock,
  createFaker,
  createRandom,
  err,
  ok,
  type Clock,
} from '../core/index.js'
import { Journal, createHttpApp, type Logger } from '../http/index.js'
import type { Notifier } from '../notify/index.js'
import { ScenarioEngine, formatSetAside, type SetAsideScenario } from '../scenario/index.js'
import { createConsolePages } from '../console/index.js'
import { ChangeFeed } from './change-feed.js'
import { createEventsFeature } from './create-events-feature.js'
import { createLogger } from './create-logger.js'
import { requestLogLine } from './log-requests.js'
import { listenApp, type RunningServer } from './listen-app.js'
import { FACE_DEFINITIONS, type FaceDefinition } from './faces.js'
import { resolveOptions, type SimulatorOptions } from './options.js'
import { processCompileCache } from './precompiled-cache.js'
import { BUILT_IN_SCENARIOS_DIR } from './load-scenarios-from-disk.js'
import { readCallTemplates } from './read-call-templates.js'
import { createConsoleFileReader } from './read-console-files.js'
import { StartupError, builtInPath, readSource } from './read-sources.js'
import { SystemClock } from './system-clock.js'
import { createScenarioControl } from './scenario-control.js'
import { createTokenService, type TokenService } from './tokens.js'
import { createScenarioReloader, watchScenarios, type ScenarioReloader } from './watch-scenarios.js'

export interface Simulator {
  readonly options: SimulatorOptions
  readonly app: Express
  readonly network: Network
  readonly clock: Clock
  readonly journal: Journal
  readonly control: Control
  readonly tokens: TokenService
  readonly faces: readonly Face[]
  /** Delivers WebRTC Events callbacks; `settled()` lets a test wait for attempts in flight. */
  readonly notifier: Notifier
  /** Every scope the mounted specs declare: what a default token carries. */
  readonly allScopes: readonly string[]
  readonly seed: number
  /** The loaded scenarios, their activations and fault counters. */
  readonly scenarios: ScenarioEngine
  /** Re-reads the scenario folders (what --watch does on a change). */
  readonly scenarioReloader: ScenarioReloader
  /**
   * What start-up wants the user to know, one line each: the defects of the served `--spec`
   * files (docs/spec-defects.md) and the shipped scenarios they cannot express.
   */
  readonly notices: readonly string[]
  /** Shipped scenarios set aside because a served spec cannot express them. */
  readonly setAsideScenarios: readonly SetAsideScenario[]
  /** Listens on options.host/port (port 0 picks a free one). */
  listen(): Promise<RunningSimulator>
  /** Stops timers; the HTTP server is closed by RunningSimulator.close. */
  dispose(): void
}

export type RunningSimulator = RunningServer

/** The text each loaded spec came from, which its face serves at `<base>/openapi.yaml`. */
const specTexts = new WeakMap<CompiledSpec, string>()

function loadFaceSpecs(
  userSpecs: readonly string[],
  cache: CompileCache,
  maxFileBytes: number,
  reading: SimulatorOptions['specReading'],
): Map<FaceDefinition, CompiledSpec> {
  const problems: string[] = []
  const compiled = new Map<FaceDefinition, CompiledSpec>()
  const load = (file: string, maxBytes = maxFileBytes): CompiledSpec | undefined => {
    const { text, source } = readSource(file, maxBytes)
    const result = loadSpec(text, source, cache, reading)
    if (result.ok) {
      specTexts.set(result.value, text)
      return result.value
    }
    problems.push(...result.error.map(formatSpecProblem))
    return undefined
  }
  for (const definition of FACE_DEFINITIONS) {
    // callsim's own files are not held to the user's limit.
    const spec = load(builtInPath(definition.specFile), Infinity)
    if (spec) compiled.set(definition, spec)
  }
  for (const file of userSpecs) {
    const spec = load(file)
    if (!spec) continue
    const match = [...compiled].find(([, builtIn]) =>
      [...spec.operations.keys()].some((id) => builtIn.operations.has(id)),
    )
    if (!match) {
      problems.push(noFaceProblem(spec, compiled))
      continue
    }
    compiled.set(match[0], spec)
  }
  if (problems.length > 0) throw new StartupError(problems)
  return compiled
}

/** A --spec file that shares no operationId with any face: what it has, and what would fit. */
function noFaceProblem(
  spec: CompiledSpec,
  faces: ReadonlyMap<FaceDefinition, CompiledSpec>,
): string {
  const ids = (of: CompiledSpec): string => [...of.operations.keys()].join(', ')
  const known = [...faces].map(([definition, builtIn]) => `${definition.id} (${ids(builtIn)})`)
  return `${spec.spec.source}: none of its operationIds (${ids(spec) || 'none'}) is one callsim simulates, so it replaces no face. A --spec file replaces the face it shares operationIds with: ${known.join('; ')}.`
}

/** The compiled spec of a built-in face; every one of them is always loaded. */
function specOf(specs: ReadonlyMap<FaceDefinition, CompiledSpec>, faceId: string): CompiledSpec {
  const found = [...specs].find(([definition]) => definition.id === faceId)
  if (!found)
    throw new StartupError([`callsim has no ${faceId} face definition; this is a bug in callsim.`])
  return found[1]
}

/**
 * The composition root: the only place that builds a real clock, reads files, wires event
 * subscribers and listens on a port. The CLI and the tests build callsim through here.
 * Specs, scenarios and validators compile through `compileCache`: by default the process's
 * one, which starts from the build's dist/spec-cache (no YAML parse or ajv code generation
 * for the built-in files) and keeps what it compiles for the next simulator.
 */
export function createSimulator(
  overrides: Partial<SimulatorOptions> = {},
  compileCache: CompileCache = processCompileCache(),
): Simulator {
  const options = resolveOptions(overrides)
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff)
  const clock: Clock =
    options.clock === 'virtual' ? new VirtualClock(options.clockStartMs) : new SystemClock()
  const logger: Logger = createLogger(options.logLevel, options.logFormat, options.logDestination)
  const events = new DomainEvents()
  // Each request's changes, committed only once its answer is known to be sendable.
  const stateChanges = new StateChanges(events)
  const network = new Network({
    clock,
    faker: createFaker(seed),
    random: createRandom(seed),
    events,
    retentionMs: options.retentionMs,
    changes: stateChanges,
  })
  // A faker of its own (seed + 1), so registering a device does not shift the seeded call ids.
  const registrations = new Registrations({
    clock,
    faker: createFaker(seed + 1),
    events,
    changes: stateChanges,
  })
  const journal = new Journal(requestLogLine(logger))
  const changes = new ChangeFeed(() => control.clock(), journal.requests)
  events.subscribe((event) => {
    if (event.type === 'call:expired') changes.noteCall(event.callId, true)
    else if (event.type === 'call:created') changes.noteCall(event.call.id, true)
    else if (event.type.startsWith('call:') && 'call' in event) changes.noteCall(event.call.id)
  })
  journal.onChange = (controlPlane) => {
    // The control API's reads are the console's own: counting them would make it chase itself.
    if (!controlPlane) changes.noteJournal()
  }
  // Fault draws have a stream of their own, so they never shift the calls' seeded data.
  const scenarios = new ScenarioEngine([], createRandom(seed ^ 0x5eedfa17), stateChanges)
  const tokens = createTokenService(options.tokenSecret, clock)
  const specs = loadFaceSpecs(
    options.specs,
    compileCache,
    options.maxFileBytes,
    options.specReading,
  )
  const userSpecs = new Set(options.specs.map((file) => path.relative(process.cwd(), file) || file))
  const allScopes = [
    ...new Set(
      [...specs.values()].flatMap((spec) =>
        [...spec.operations.values()].flatMap((op) => op.security.flatMap((s) => s.scopes)),
      ),
    ),
  ]
  const eventsFeature = createEventsFeature({
    eventsSpec: specOf(specs, 'camara-events'),
    clock,
    events,
    changes: stateChanges,
    network,
    registrations,
    registration: options.registration,
    scenarioById: (id) => scenarios.get(id),
    journal,
    logger,
    seed,
    strict: options.strict,
    deliveryTimeoutMs: options.deliveryTimeoutMs,
    compileCache,
    onDelivery: (callId) => changes.noteDelivery(callId),
  })
  const scenarioControl = createScenarioControl(scenarios, options.adminToken)

  const control: Control = {
    reset: () => {
      network.reset()
      registrations.reset()
      eventsFeature.reset()
      for (const face of faces) face.reset?.()
      journal.clear()
      scenarios.reset()
      changes.noteReset()
    },
    clock: () => ({
      kind: clock.kind,
      now: clock.now(),
      pendingTasks: clock.pending(),
      nextDueAt: clock instanceof VirtualClock ? clock.nextDueAt() : undefined,
    }),
    advanceClock: (ms) => {
      if (!(clock instanceof VirtualClock)) {
        return err(
          'The clock is the system clock; start callsim with --clock virtual to advance time.',
        )
      }
      if (clock.now() + ms > LATEST_VIRTUAL_MS)
        return err(`The virtual clock cannot pass ${new Date(LATEST_VIRTUAL_MS).toISOString()}.`)
      const fired = clock.advance(ms)
      changes.noteClock()
      return ok({ ...control.clock(), fired })
    },
    violations: () => ({ total: journal.violations.total, items: journal.violations.toArray() }),
    journal: (limit, withBodies) => ({
      total: journal.requests.total,
      items: journal.requests.toArray(withBodies, limit),
    }),
    calls: () => network.allCalls(),
    newestCalls: () => network.newestCalls(),
    callCount: () => network.size,
    call: (id) => network.getCall(id),
    callHistory: (id) => {
      const call = network.getCall(id)
      if (!call) return undefined
      const exchanges = journal.requests.entriesOfCall(id, true)
      const omittedExchanges = Math.max(0, exchanges.length - MAX_LADDER_EXCHANGES)
      return {
        call,
        exchanges: exchanges.slice(omittedExchanges),
        omittedExchanges,
        deliveries: eventsFeature.deliveriesOfCall(id),
      }
    },
    watch: (listener, callId) => changes.watch(listener, callId),
    issueToken: (request) =>
      tokens.issue({ ...request, scope: request.scope ?? allScopes.join(' ') }),
    startIncomingCall: (request) => eventsFeature.startIncomingCall(request),
    deliveries: (limit, subscriptionId) => eventsFeature.deliveries(limit, subscriptionId),
    ...scenarioControl,
    activateScenario: (id, subscriber) => {
      const activated = scenarioControl.activateScenario(id, subscriber)
      changes.noteScenarios()
      return activated
    },
    deactivateScenario: (subscriber) => {
      const deactivated = scenarioControl.deactivateScenario(subscriber)
      changes.noteScenarios()
      return deactivated
    },
  }

  const deps = {
    network,
    control,
    registrations,
    registration: options.registration,
    clock,
    events,
    seed,
    changes: stateChanges,
    retentionMs: options.retentionMs,
    callTemplates: readCallTemplates(options.callTemplates, compileCache, options.maxFileBytes),
    subscriptions: eventsFeature.subscriptions,
    allowHttpSinks: options.allowHttpSinks,
    compileCache,
  }
  const faces = [...specs].map(([definition, spec]) => definition.create(spec, deps))
  const fallbackFace =
    faces.find((face) => face.id === 'camara-call-handling') ?? (faces[0] as Face)
  const scenarioPaths = [
    ...(options.builtInScenarios ? [BUILT_IN_SCENARIOS_DIR] : []),
    ...options.scenarioPaths,
  ]
  const scenarioReloader = createScenarioReloader(
    scenarioPaths,
    faces,
    scenarios,
    logger,
    compileCache,
    options.maxFileBytes,
    options.builtInScenarios ? BUILT_IN_SCENARIOS_DIR : undefined,
  )
  const loaded = scenarioReloader.load()
  if (!loaded.ok) throw new StartupError(loaded.error)
  // The built-in specs' own defects are documented once (docs/spec-defects.md), not at every start.
  const specWarnings = [...faces.map((face) => face.spec.warnings), eventsFeature.warnings]
    .flat()
    .filter((warning) => userSpecs.has(warning.source))
  const notices = [
    ...specWarnings.map((warning) => `warning: ${formatSpecProblem(warning)}`),
    ...loaded.value.setAside.map(formatSetAside),
  ]
  const watcher = options.watchScenarios
    ? watchScenarios(scenarioPaths, scenarioReloader, logger)
    : undefined
  const app = createHttpApp({
    faces,
    fallbackFace,
    verifier: tokens,
    journal,
    logger,
    now: () => clock.now(),
    strict: options.strict,
    bodyLimitBytes: options.bodyLimitBytes,
    drainLimits: options.serverLimits.drain,
    scenarios,
    controlPlane: { allowedHosts: [options.host, ...options.allowedHosts] },
    wait: (ms, task) => void clock.schedule(clock.now() + ms, task),
    specText: (face) => specTexts.get(face.spec),
    pages: createConsolePages(createConsoleFileReader()),
    changes: stateChanges,
  })

  const dispose = (): void => {
    if (clock instanceof SystemClock) clock.stop()
    eventsFeature.dispose()
    changes.stop()
    watcher?.close()
  }

  return {
    options,
    app,
    network,
    clock,
    journal,
    control,
    tokens,
    faces,
    notifier: eventsFeature.notifier,
    allScopes,
    seed,
    scenarios,
    scenarioReloader,
    notices,
    setAsideScenarios: loaded.value.setAside,
    dispose,
    listen: () => listenApp(app, options, logger, dispose),
  }
}
