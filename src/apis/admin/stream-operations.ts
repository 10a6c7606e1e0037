import type { OperationHandler } from '../face.js'
import type { ChangeBatch, Control } from './control.js'
import { toClockView } from './to-clock-view.js'

/** One Server-Sent Events frame: an event name and one line of JSON. */
const toEventFrame = (event: string, data: unknown): string =>
  `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`

/**
 * GET /_callsim/stream: the simulator's changes as Server-Sent Events, one `change` event per
 * batch (ChangeBatch), so a watcher re-reads only what changed and never polls. `?call=` names
 * the call whose ladder the watcher shows: each batch then says whether it changed.
 */
export function createStreamAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    streamChanges: (request) => {
      const callId = typeof request.query.call === 'string' ? request.query.call : undefined
      return {
        status: 200,
        stream: {
          open: (write) => {
            // The first frame says the stream is live and what time it is.
            write(`retry: 1000\n${toEventFrame('ready', { clock: toClockView(control.clock()) })}`)
            return control.watch(
              (batch: ChangeBatch) =>
                write(toEventFrame('change', { ...batch, clock: toClockView(batch.clock) })),
              callId,
            )
          },
        },
      }
    },
  }
}
