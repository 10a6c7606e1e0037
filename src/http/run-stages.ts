import type { NextFunction, Request, RequestHandler, Response } from 'express'

/**
 * Runs the pipeline stages in order inside one Express middleware: Express dispatches once
 * per request instead of once per stage. A stage moves on with `next()`, stops by answering,
 * or fails with `next(error)`; an exception thrown by a stage, even one resumed later from a
 * stream event, reaches Express's error handler just as it would between Express layers.
 */
export function runStages(stages: readonly RequestHandler[]): RequestHandler {
  return (req: Request, res: Response, done: NextFunction) => {
    let index = 0
    const next = (error?: unknown): void => {
      if (error !== undefined) {
        done(error)
        return
      }
      const stage = stages[index]
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
