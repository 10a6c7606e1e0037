import { ok, type Result } from '../contract/index.js'
import type { StepAuth } from './client-step.js'
import type { CatalogEntry } from './operation-catalog.js'
import { fail, type StepEnv, type StepFailure } from './step-env.js'
import { CONTROL_BASE_PATH } from './target.js'
import { DEFAULT_SUBSCRIBER } from './token-source.js'

/**
 * The Authorization header a step's request carries, if any: the step's literal token, the
 * admin token for the control API, or a token minted for the step's (or the default) subscriber
 * when the operation requires one.
 */
export async function authorizationFor(
  env: StepEnv,
  auth: StepAuth | undefined,
  entry: CatalogEntry | undefined,
): Promise<Result<string | undefined, StepFailure>> {
  if (auth?.kind === 'none' || entry === undefined) return ok(undefined)
  if (auth?.kind === 'literal') {
    const token = env.resolve(auth.token)
    return token.ok ? ok(`Bearer ${token.value}`) : token
  }
  const { target, tokens } = env.context
  if (auth === undefined && entry.spec.spec.basePath === CONTROL_BASE_PATH) {
    return ok(target.adminToken === undefined ? undefined : `Bearer ${target.adminToken}`)
  }
  // An operation whose security is optional ({}) or absent gets a token only when the step asks for one.
  const { security } = entry.operation
  const required =
    security.length > 0 && security.every((alternative) => alternative.schemes.length > 0)
  if (!required && auth === undefined) return ok(undefined)
  const request = env.resolve(
    auth === undefined
      ? { sub: DEFAULT_SUBSCRIBER }
      : { sub: auth.sub, scope: auth.scope, claims: auth.claims },
  )
  if (!request.ok) return request
  const token = await tokens.token(request.value)
  return token.ok ? ok(`Bearer ${token.value}`) : fail('error', [token.error])
}
