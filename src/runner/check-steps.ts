import type { SpecProblem } from '../contract/index.js'
import { findUndeclaredParams } from './build-request.js'
import type { ClientStep } from './client-step.js'
import { RESERVED_ROOTS, findExpressionRoots } from './expressions.js'
import type { OperationCatalog } from './operation-catalog.js'

/** The operation a subscribe step calls: CAMARA WebRTC Events' subscription creation. */
export const SUBSCRIBE_OPERATION = 'createNotificationChannelSubscription'

/** Every value of a step that may hold ${...} expressions. */
export function valuesOf(step: ClientStep): unknown[] {
  switch (step.kind) {
    case 'request':
      return [step.params, step.headers, step.body, step.rawBody, step.expect, step.auth]
    case 'subscribe':
      return [step.deviceId, step.auth]
    case 'callback':
      return [step.expect]
    case 'wait':
      return []
  }
}

/**
 * Checks steps without running them: every request names a known operation and only parameters
 * it declares, and every expression reads a step that runs earlier. `callsim validate` reports
 * these, and `callsim run` refuses a scenario that has any.
 */
export function checkSteps(steps: readonly ClientStep[], catalog: OperationCatalog): SpecProblem[] {
  const problems: SpecProblem[] = []
  const named = new Set<string>()
  steps.forEach((step) => {
    const { origin } = step
    // The line only when there is a problem: looking it up may parse the file again.
    const problem = (at: string, message: string): void => {
      problems.push({
        source: origin.source,
        pointer: `${origin.pointer}${at}`,
        line: origin.line,
        message,
      })
    }
    if (step.kind === 'request') {
      const found = catalog.find(step.operationId)
      if (!found.ok) problem('/request', found.error)
      else
        for (const message of findUndeclaredParams(found.value.operation, step.params))
          problem('/params', message)
    }
    if (step.kind === 'subscribe' && !catalog.has(SUBSCRIBE_OPERATION))
      problem('/subscribe', catalog.describeUnknown(SUBSCRIBE_OPERATION))
    const values = valuesOf(step)
    const roots = findExpressionRoots(values)
    if (!roots.ok) {
      for (const message of roots.error) problem('', message)
    } else {
      for (const root of new Set(roots.value)) {
        if (RESERVED_ROOTS.has(root) || named.has(root)) continue
        const later = steps.some((other) => other.name === root)
        problem(
          '',
          `\${${root}...} reads a step that ${later ? 'runs later' : 'does not exist'}; an expression can only read steps above it${named.size > 0 ? ` (${[...named].join(', ')})` : ''}`,
        )
      }
    }
    if (step.name !== undefined) named.add(step.name)
  })
  return problems
}
