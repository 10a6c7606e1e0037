import {
  compileSpec,
  isObject,
  type CompileCache,
  type CompiledSpec,
} from '../../contract/index.js'

/** https as the spec demands, or http to a loopback address (localhost, 127.x.x.x, [::1]). */
export const HTTPS_OR_LOOPBACK_HTTP =
  '^(https://.+|http://(localhost|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|\\[::1\\])(:[0-9]{1,5})?([/?#].*)?)$'

/**
 * The sandbox relaxation behind --allow-http-sinks: every `sink` property whose pattern
 * demands https also accepts loopback http, in requests and in the Subscription responses
 * that echo the sink. Nothing else in the contract changes. Compiled once, at start-up.
 */
export function allowHttpSinks(spec: CompiledSpec, cache: CompileCache): CompiledSpec {
  const document = structuredClone(spec.spec.document)
  const components = isObject(document.components) ? document.components : {}
  let relaxed = 0
  for (const schema of Object.values(isObject(components.schemas) ? components.schemas : {})) {
    const sink =
      isObject(schema) && isObject(schema.properties) ? schema.properties.sink : undefined
    if (isObject(sink) && typeof sink.pattern === 'string' && sink.pattern.startsWith('^https')) {
      sink.pattern = HTTPS_OR_LOOPBACK_HTTP
      relaxed += 1
    }
  }
  if (relaxed === 0) return spec
  const compiled = compileSpec({ ...spec.spec, document }, cache)
  if (!compiled.ok) {
    throw new Error(
      `Failed to relax the sink pattern of ${spec.spec.source}: ${compiled.error.map((p) => p.message).join('; ')}`,
    )
  }
  // The warnings are about the file as the user wrote it, not this relaxation of it.
  return { ...compiled.value, warnings: spec.warnings }
}
