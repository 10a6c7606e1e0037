/** Loading OpenAPI specs, compiling their validators once, and validating traffic against them. */
export {
  compileSpec,
  type CompiledOperation,
  type CompiledParameter,
  type CompiledResponse,
  type CompiledSpec,
  type SecurityAlternative,
  type ValidateFunction,
} from './compile-validators.js'
export {
  callbackKey,
  compileCallbacks,
  validateCallbackRequest,
  type CompiledCallback,
} from './compile-callbacks.js'
export { formatSpecProblem, type SpecProblem } from './errors.js'
export {
  deref,
  isObject,
  parseSpec,
  resolvePointer,
  type JsonObject,
  type LoadedSpec,
} from './load-spec.js'
export { OperationIndex, type RouteMatch, type RouteMiss } from './operation-index.js'
export {
  acceptedAtBuild,
  compileJsonSchema,
  installPrecompiledCache,
  recordAccepted,
  recordPrecompiledCache,
  type PrecompiledCache,
  type RecordedCache,
} from './schema-compiler.js'
export { err, ok, type Result } from './result.js'
export { mediaTypeOf, toViolations } from './validate.js'
export { validateRequest, type RequestParts, type ValidatedRequest } from './validate-request.js'
export { findResponse, validateResponse, type ResponseParts } from './validate-response.js'
export {
  describeViolations,
  isRangeViolation,
  type ValueLocation,
  type Violation,
} from './violation.js'
export { parsePointer, parseYamlSource, toPointer, type YamlSource } from './yaml-source.js'

import { compileSpec, type CompiledSpec } from './compile-validators.js'
import type { SpecProblem } from './errors.js'
import { parseSpec } from './load-spec.js'
import type { Result } from './result.js'

/**
 * Parses, checks and compiles a spec in one go.
 * @example loadSpec(readFileSync(file, 'utf8'), 'spec/camara/webrtc-call-handling.yaml')
 */
export function loadSpec(text: string, source: string): Result<CompiledSpec, SpecProblem[]> {
  const parsed = parseSpec(text, source)
  return parsed.ok ? compileSpec(parsed.value) : parsed
}
