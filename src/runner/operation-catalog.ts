import type { CompiledOperation, CompiledSpec } from '../contract/index.js'
import { err, ok, type Result } from '../contract/index.js'

/** An operation a step can call, with the spec it belongs to (for its base path and validators). */
export interface CatalogEntry {
  readonly spec: CompiledSpec
  readonly operation: CompiledOperation
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] as number
      row[j] = Math.min(
        (row[j] as number) + 1,
        (row[j - 1] as number) + 1,
        previous + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
      previous = current
    }
  }
  return row[b.length] as number
}

/**
 * Every operation of the specs a run knows, by operationId. A spec given by the user replaces
 * the built-in spec that shares one of its operationIds (as `callsim serve --spec` does); a spec
 * that shares none is added, so a run can test any API, not only the ones callsim simulates.
 */
export class OperationCatalog {
  private readonly entries = new Map<string, CatalogEntry>()

  constructor(readonly specs: readonly CompiledSpec[]) {
    for (const spec of specs) {
      for (const operation of spec.operations.values())
        this.entries.set(operation.operationId, { spec, operation })
    }
  }

  static create(builtIn: readonly CompiledSpec[], user: readonly CompiledSpec[]): OperationCatalog {
    const replaced = new Set<CompiledSpec>()
    for (const spec of user) {
      for (const candidate of builtIn) {
        if ([...spec.operations.keys()].some((id) => candidate.operations.has(id)))
          replaced.add(candidate)
      }
    }
    return new OperationCatalog([...builtIn.filter((spec) => !replaced.has(spec)), ...user])
  }

  has(operationId: string): boolean {
    return this.entries.has(operationId)
  }

  /** The operation, or a message that names the closest operationId and the specs searched. */
  find(operationId: string): Result<CatalogEntry, string> {
    const entry = this.entries.get(operationId)
    if (entry) return ok(entry)
    return err(this.describeUnknown(operationId))
  }

  describeUnknown(operationId: string): string {
    let best: string | undefined
    let bestDistance = Infinity
    for (const known of this.entries.keys()) {
      const d = known.toLowerCase() === operationId.toLowerCase() ? 0 : distance(known, operationId)
      if (d < bestDistance) {
        best = known
        bestDistance = d
      }
    }
    const hint =
      best !== undefined && bestDistance <= Math.max(2, Math.floor(operationId.length / 4))
        ? ` Did you mean ${best}?`
        : ''
    const sources = this.specs.map((spec) => spec.spec.source).join(', ')
    return `request: no operation "${operationId}" in the specs the run knows (${sources}).${hint} Pass the spec that declares it with --spec.`
  }
}
