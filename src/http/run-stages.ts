import type { NextFunction, Request, RequestHandler, Response } from 'express'

/**
 * Runs the pipeline stages in order inside one Express middleware: Express dispatches once
 * per request instead of once per stage. A stage moves on with `next()`, stops by answering,
 * or fails with `next(error)`; an exception thrown by a stage, even one resumed later from a
 * stream event, reaches Express's error handler just as it would between Express layers.
 *
 * `then`, when given, names the stages that follow `stages` for this request (chosen once the
 * first ones have learnt where it goes), so that a request never passes through a stage that
 * cannot apply to it.
 */
export function runStages(
  stages: readonly RequestHandler[],
  then?: (req: Request, res: Response) => readonly RequestHandler[],
): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let current = stages
    let index = 0
    let continued = false
    const next = (error?: unknown): void => {
      if (error !== undefined) {
        done(error)
        return
      }
      let stage = current[index]
      if (stage === undefined && then !== undefined && !continued) {
        continued = true
        current = then(req, res)
        index = 0
        stage = current[0]
      }
      index += 1
      if (stage === undefined) {
        done()
        return
      }
      try {
        // Express 5 types a handler's result as unknown; the stages return nothing.
        void stage(req, res, next)
      } catch (thrown) {
        done(thrown)
      }
    }
    next()
  }
}
