import { findResponse, validateResponse, type CompiledOperation } from '../contract/index.js'
import type { FaultRule, Scenario, ScenarioProblem } from './scenario.js'

/**
 * An operation that fault plans may target, with the way its face formats an injected error.
 * The composition root builds these from the mounted faces.
 */
export interface FaultTarget {
  readonly faceId: string
  readonly operation: CompiledOperation
  /** The body the face would send for an injected error (its own error shape). */
  formatInjectedError(
    status: number,
    code: string,
    message: string,
  ): { readonly status: number; readonly body?: unknown }
}

/** Fault targets by operationId: one entry per face that serves the operation. */
export type FaultTargets = ReadonlyMap<string, readonly FaultTarget[]>

function targetsOf(rule: FaultRule, targets: FaultTargets): FaultTarget[] {
  const ids = rule.operations ? [...rule.operations] : [...targets.keys()]
  return ids.flatMap((id) => targets.get(id) ?? [])
}

/** Why this operation cannot send what the rule injects, or undefined when it can. */
function refusal(rule: FaultRule, target: FaultTarget): string | undefined {
  const { operation } = target
  const response = rule.response
  if (!response || response.kind === 'drop-connection') return undefined
  if (response.kind === 'malformed-body') {
    const declared = findResponse(operation, response.status)
    if (!declared)
      return `${operation.operationId} does not declare status ${response.status} (declared: ${[...operation.responses.keys()].join(', ')})`
    if (declared.content.size === 0)
      return `status ${response.status} of ${operation.operationId} declares no body, so there is no body to break`
    return undefined
  }
  const injected = target.formatInjectedError(response.status, response.code, response.message)
  const violations = validateResponse(operation, {
    status: injected.status,
    contentType: injected.body === undefined ? undefined : 'application/json',
    body: injected.body,
    headers: {},
  })
  if (violations.length === 0) return undefined
  return `${operation.operationId} does not declare ${response.status} ${response.code}: ${violations.map((v) => v.message).join('; ')}`
}

/**
 * Checks every fault plan against the specs of the mounted faces, when the scenario files load:
 * an operationId no face serves, or an injected response an operation does not declare, is
 * refused, unless the rule says `undeclared: true`.
 */
export function checkAgainstSpec(
  scenarios: readonly Scenario[],
  targets: FaultTargets,
): ScenarioProblem[] {
  const problems: ScenarioProblem[] = []
  for (const scenario of scenarios) {
    for (const rule of scenario.faults) {
      const pointer = `${scenario.origin.pointer}/faults/${rule.index}`
      const report = (at: string, message: string): void => {
        problems.push({
          source: scenario.origin.source,
          line: scenario.origin.lineOf(at),
          pointer: at,
          message,
        })
      }
      const unknown = [...(rule.operations ?? [])].filter((id) => !targets.has(id))
      if (unknown.length > 0) {
        report(
          `${pointer}/operations`,
          `no face serves the operation${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}. Use operationIds from the mounted specs: ${[...targets.keys()].join(', ')}`,
        )
        continue
      }
      if (rule.undeclared) continue
      const refusals = targetsOf(rule, targets)
        .map((target) => refusal(rule, target))
        .filter((reason): reason is string => reason !== undefined)
      if (refusals.length > 0) {
        const hint = rule.operations
          ? 'Inject a status and code the operation declares, or add `undeclared: true` to send it on purpose.'
          : 'List in `operations` only the operations that declare it, or add `undeclared: true` to send it on purpose.'
        report(`${pointer}/action`, `${refusals.join('. ')}. ${hint}`)
      }
    }
  }
  return problems
}

/** A shipped scenario that the served specs cannot express, and why (the first refusal). */
export interface SetAsideScenario {
  readonly id: string
  readonly source: string
  readonly reason: string
}

/** The one line serve and validate print for a shipped scenario they set aside. */
export function formatSetAside(scenario: SetAsideScenario): string {
  return `notice: scenario ${scenario.id} (${scenario.source}) does not apply to the served specs and is set aside: ${scenario.reason}`
}
