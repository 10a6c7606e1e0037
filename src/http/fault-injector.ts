import type { Request, Response } from 'express'
import { injectedErrorOf } from '../apis/index.js'
import type { FaultDecision } from '../scenario/index.js'
import { continueSafely } from './continue-safely.js'
import type { Journal } from './journal.js'
import type { RequestContext } from './request-context.js'
import { toJournalEntry, type SendReply } from './send-reply.js'

export interface FaultInjectorOptions {
  readonly send: SendReply
  readonly journal: Journal
  /** Simulator time, for journal timestamps. */
  readonly now: () => number
  /**
   * Waits on the simulator's clock, so a virtual clock holds a delayed request until it is
   * advanced, as it holds every other timer (docs/scenarios.md, "Latency").
   */
  readonly wait: (ms: number, task: () => void) => void
}

/**
 * Carries out a decided fault on the request; `proceed` lets the request go on through the
 * pipeline, or hands it an error to answer with the face's 500.
 */
export type FaultInjector = (
  decision: FaultDecision,
  req: Request,
  res: Response,
  proceed: (error?: unknown) => void,
) => void

/** Not JSON on purpose: an object cut off in the middle, as a broken proxy or a crash would leave it. */
function malformedBody(decision: FaultDecision): string {
  return `{"callsim":"this body is malformed on purpose","scenario":${JSON.stringify(decision.scenarioId)},"fault":${decision.rule.index},"trunc`
}

/**
 * The shell half of fault injection (WireMock's FaultInjector): the scenario layer decides,
 * this writes the decision on the socket and journals it.
 */
export function createFaultInjector(options: FaultInjectorOptions): FaultInjector {
  const { send, journal, now, wait } = options
  return (decision, req, res, proceed) => {
    const context = res.locals.callsim as RequestContext
    // The request's log line carries the label, at warn (src/app/log-requests.ts).
    context.fault = decision.label
    const gone = (): boolean => res.writableEnded || !res.socket || res.socket.destroyed
    const run = (index: number): void => {
      const action = decision.actions[index]
      if (!action) {
        proceed()
        return
      }
      switch (action.kind) {
        case 'delay':
          wait(
            action.ms,
            continueSafely(proceed, () => {
              // The client may have given up while the reply was held back.
              if (!gone()) run(index + 1)
            }),
          )
          return
        case 'respond':
          context.intentionalFault = decision.intentional
          send(req, res, injectedErrorOf(context.face, action.status, action.code, action.message))
          return
        case 'drop-connection':
          journal.record(toJournalEntry(req, context, 0, [], now))
          req.socket.destroy()
          return
        case 'malformed-body': {
          const body = malformedBody(decision)
          // Written here rather than by send-reply, so the echo is set here too.
          if (context.correlator !== undefined) res.setHeader('x-correlator', context.correlator)
          res.status(action.status)
          res.setHeader('content-type', 'application/json')
          res.end(body)
          // Intentional: journaled with its fault, never counted as a callsim violation.
          journal.record(toJournalEntry(req, context, action.status, [], now))
          return
        }
      }
    }
    run(0)
  }
}
