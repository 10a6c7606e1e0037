/** A problem with a spec file itself; start-up reports every one of them. */
export interface SpecProblem {
  readonly source: string
  /** JSON pointer into the document, `` for the whole file. */
  readonly pointer: string
  readonly line?: number
  readonly message: string
}

export function formatSpecProblem(problem: SpecProblem): string {
  const where = problem.line === undefined ? problem.source : `${problem.source}:${problem.line}`
  const pointer = problem.pointer === '' ? '' : ` at ${problem.pointer}`
  return `${where}${pointer}: ${problem.message}`
}
