/** The composition root: builds a simulator from options, files and real infrastructure. */
export { createSimulator, type RunningSimulator, type Simulator } from './create-simulator.js'
/**
 * The process's one CompileCache (from the build's dist/spec-cache when it fits), which every
 * simulator uses by default: the CLI's runner and validate compile through it too.
 */
export { processCompileCache } from './precompiled-cache.js'
export type { CompileCache } from '../contract/index.js'
export { type SimulatorOptions } from './options.js'
/** Durations as the simulator's options take them (`30s`, `2m`): the CLI's flags share the format. */
export { parseDuration } from '../core/index.js'
export { StartupError, formatStartupProblem } from './read-sources.js'
export { exposureWarning } from './exposure-warning.js'
/** Where the web console is served (the banner prints it). */
export { CONSOLE_PATH } from '../console/index.js'
/** The operations of the faces that fault plans may target; `callsim validate` checks scenario files against them. */
export { BUILT_IN_SCENARIOS_DIR, faultTargetsOf } from './load-scenarios-from-disk.js'
export type { ReloadOutcome } from './watch-scenarios.js'
export { DEFAULT_TOKEN_SECRET, createTokenService } from './tokens.js'
/** Every face callsim serves, with its id and built-in spec file. */
export { FACE_DEFINITIONS } from './faces.js'
/** `callsim proxy --record`: keeps what the proxy saw written to scenario files, one per call. */
export { createRecordToDir, type RecordToDir } from './record-to-dir.js'
/** What a recording redacts: `--redact` starts from DEFAULT_REDACTION. */
export { DEFAULT_REDACTION, type Redaction } from '../scenario/index.js'
/** `callsim proxy`: forwards to a real provider and judges both sides against the specs. */
export {
  DEFAULT_PROXY_PORT,
  createProxy,
  type CallsimProxy,
  type ProxyOptions,
  type RunningProxy,
} from './create-proxy.js'
