import type { ValidateFunction } from 'ajv'
import { compileJsonSchema, type CompileCache } from '../contract/index.js'

/**
 * spec/callsim-steps.schema.json compiled on its own, as `callsim run` and `callsim validate`
 * check run files against it; ajv is strict, as for all of callsim's own formats. It lives
 * here, beside the loader that embeds the same schema, so that the build (app/) can put it in
 * dist/spec-cache with the scenario schema. Through the contract layer, which loads ajv only
 * when it compiles: `callsim serve` never compiles steps, and loading ajv cost ~50 ms of its
 * start-up.
 */
export function compileStepsSchema(schema: object, cache: CompileCache): ValidateFunction {
  return compileJsonSchema(
    schema,
    { allErrors: true, strict: true, verbose: true, logger: false },
    cache,
  )
}
