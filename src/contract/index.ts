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
export { describeCallbackEvents, type CallbackEvents } from './callback-events.js'
export { checkPattern, compilePattern, type CompiledPattern } from './compile-pattern.js'
export { formatSpecProblem, type SpecProblem } from './errors.js'
/** Deep equality of JSON values, for matchers in the layers that may not import node:* themselves. */
export { isDeepStrictEqual } from 'node:util'
export { MAX_JSON_DEPTH, exceedsJsonDepth } from './json-depth.js'
export {
  DEFAULT_MAX_FILE_BYTES,
  MAX_NESTING_DEPTH,
  MAX_SCENARIOS_PER_FILE,
  MAX_YAML_ALIAS_COUNT,
  fileSizeProblem,
} from './file-limits.js'
export {
  deref,
  isObject,
  parseSpec,
  resolvePointer,
  type JsonObject,
  type LoadedSpec,
} from './load-spec.js'
export { provesLinear } from './prove-linear.js'
export { MAX_JSONP_CALLBACK_LENGTH, isJsonpCallbackName } from './jsonp-callback.js'
export { OperationIndex, type RouteMatch, type RouteMiss } from './operation-index.js'
export { CompileCache, sha256, type PrecompiledCache, type RecordedCache } from './compile-cache.js'
export { compileJsonSchema } from './schema-compiler.js'
export { err, ok, type Result } from './result.js'
export { reviewSpecDefects, type SpecReading } from './spec-defects.js'
export {
  explainFileErrors,
  toViolations,
  type FileSchemaProblem,
  type SchemaWording,
} from './explain-schema-errors.js'
export { mediaTypeOf } from './validate.js'
export { validateRequest, type RequestParts, type ValidatedRequest } from './validate-request.js'
export { findResponse, validateResponse, type ResponseParts } from './validate-response.js'
export {
  describeViolations,
  isRangeViolation,
  type ValueLocation,
  type Violation,
} from './violation.js'
export {
  parsePointer,
  parseYamlSource,
  toPointer,
  yamlLibrary,
  type YamlSource,
} from './yaml-source.js'

import { CompileCache, type CheckedSpec } from './compile-cache.js'
import { compileSpec, type CompiledSpec } from './compile-validators.js'
import type { SpecProblem } from './errors.js'
import { describeSpec, parseSpec, type JsonObject } from './load-spec.js'
import type { Result } from './result.js'
import { reviewSpecDefects, type SpecReading } from './spec-defects.js'
import { parseYamlSource, type YamlSource } from './yaml-source.js'

/**
 * Parses, checks, reviews for defects (repairing the certain ones unless `reading` is
 * `literal`) and compiles a spec in one go, once per source, text and reading for a given
 * cache: the result is shared, so its document is frozen. Its `warnings` list every defect.
 * Bytes the build loaded with the same reading (a built-in spec) are not checked again: the
 * build's verdicts are taken instead (CompileCache.checkedSpec).
 * @example loadSpec(readFileSync(file, 'utf8'), 'spec/camara/webrtc-call-handling.yaml', cache)
 */
export function loadSpec(
  text: string,
  source: string,
  cache: CompileCache = new CompileCache(),
  reading: SpecReading = 'tolerant',
): Result<CompiledSpec, SpecProblem[]> {
  return cache.spec(
    reading === 'tolerant' ? source : `${source}\0literal`,
    text,
    (): Result<CompiledSpec, SpecProblem[]> => {
      const checked = cache.checkedSpec(text, reading)
      if (checked) return compileChecked(text, source, cache, checked)
      const parsed = parseSpec(text, source, cache)
      if (!parsed.ok) return parsed
      const reviewed = reviewSpecDefects(parsed.value, reading)
      const compiled = compileSpec(reviewed.spec, cache)
      if (!compiled.ok) return compiled
      const warnings = [...reviewed.warnings, ...compiled.value.warnings]
      cache.keepCheckedSpec(text, reading, {
        document: reviewed.spec.document,
        warnings: warnings.map(({ source: _source, ...warning }) => warning),
      })
      return { ok: true, value: { ...compiled.value, warnings } }
    },
    (loaded) => {
      if (loaded.ok) deepFreeze(loaded.value.spec.document)
    },
  )
}

/**
 * A spec whose checks the build already made on these bytes: its reviewed document and
 * warnings as the build found them, and the validators (from the cache). The YAML is parsed
 * for its lines only if a message needs one.
 */
function compileChecked(
  text: string,
  source: string,
  cache: CompileCache,
  checked: CheckedSpec,
): Result<CompiledSpec, SpecProblem[]> {
  let lines: YamlSource['lineOf'] | undefined
  const lineOf = (pointer: string): number | undefined => {
    if (!lines) {
      const parsed = parseYamlSource(text, source, cache)
      lines = parsed.ok ? parsed.value.lineOf : () => undefined
    }
    return lines(pointer)
  }
  const spec = describeSpec(checked.document as JsonObject, source, lineOf)
  const compiled = compileSpec(spec, cache, { checkExamples: false })
  if (!compiled.ok) return compiled
  const warnings = checked.warnings.map((warning) => ({ source, ...warning }))
  return { ok: true, value: { ...compiled.value, warnings } }
}

/** Freezes parsed data and everything in it, so that it can be shared read-only. */
export function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return
  Object.freeze(value)
  for (const child of Object.values(value)) deepFreeze(child)
}
