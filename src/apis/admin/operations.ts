import { LATEST_VIRTUAL_MS, parseDuration } from '../../core/index.js'
import type { FaceRequest, FaceResponse, OperationHandler } from '../face.js'
import type { Control } from './control.js'
import { clockNotVirtual, invalidArgument } from './errors.js'
import { createEventAdminOperations } from './event-operations.js'
import { createScenarioAdminOperations } from './scenario-operations.js'
import { createCallAdminOperations } from './call-operations.js'
import { createJournalAdminOperations } from './journal-operations.js'
import { createStreamAdminOperations } from './stream-operations.js'
import { toClockView } from './to-clock-view.js'

/** One small handler per operationId of spec/callsim-admin.yaml. */
export function createAdminOperations(control: Control): Record<string, OperationHandler> {
  return {
    ...createEventAdminOperations(control),
    ...createCallAdminOperations(control),
    ...createJournalAdminOperations(control),
    ...createStreamAdminOperations(control),
    ...createScenarioAdminOperations(control),
    resetSimulator: () => {
      control.reset()
      return { status: 204 }
    },
    getClock: () => ({ status: 200, body: toClockView(control.clock()) }),
    advanceClock: (request: FaceRequest): FaceResponse => {
      const duration = parseDuration((request.body as { advance: unknown }).advance)
      if (!duration.ok) return invalidArgument(`advance: ${duration.error}`)
      const clock = control.clock()
      if (clock.kind === 'virtual' && clock.now + duration.value > LATEST_VIRTUAL_MS)
        return invalidArgument(
          `advance: ${duration.value} ms would take the clock past ${new Date(LATEST_VIRTUAL_MS).toISOString()}, the latest time a virtual clock can show; advance by less`,
        )
      const advanced = control.advanceClock(duration.value)
      if (!advanced.ok) return clockNotVirtual(advanced.error)
      return { status: 200, body: toClockView(advanced.value) }
    },
    listViolations: () => {
      const { total, items } = control.violations()
      return { status: 200, body: { total, violations: items } }
    },
    createToken: async (request) => {
      const body = request.body as {
        sub: string
        scope?: string
        expiresIn?: unknown
        claims?: Record<string, unknown>
      }
      const lifetime = body.expiresIn === undefined ? undefined : parseDuration(body.expiresIn)
      if (lifetime && !lifetime.ok) return invalidArgument(`expiresIn: ${lifetime.error}`)
      const issued = await control.issueToken({
        sub: body.sub,
        scope: body.scope,
        expiresInMs: lifetime?.value,
        claims: body.claims,
      })
      return {
        status: 201,
        body: { ...issued, expiresAt: new Date(issued.expiresAt).toISOString() },
      }
    },
  }
}
