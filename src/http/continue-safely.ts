/**
 * Wraps a stage's continuation that runs later, from a tick, a stream event, a timer or a
 * promise. runStages catches what a stage throws while it runs; an exception thrown from such
 * a callback would otherwise escape the pipeline and end the process (or, from a promise,
 * become an unhandled rejection, which ends it as well). Here it becomes the face's 500.
 */
export function continueSafely<A extends unknown[]>(
  next: (error: unknown) => void,
  task: (...args: A) => void,
): (...args: A) => void {
  return (...args) => {
    try {
      task(...args)
    } catch (error) {
      next(error)
    }
  }
}
