import type { FaceRequest, FaceResponse, OperationHandler, SelectLifecycle } from '../face.js'
import type { CallTemplates } from './call-templates.js'
import type { Click2CallSessions } from './click2call-sessions.js'
import { alreadyEnded, authorisationFailed, sessionNotFound, unknownContact } from './errors.js'
import { stateOf, toClick2CallStatus } from './to-click2call-status.js'

export const FACE_ID = 'oracle-click2call'

export interface Click2CallOperationsDeps {
  readonly sessions: Click2CallSessions
  readonly templates: CallTemplates
  readonly selectLifecycle: SelectLifecycle
}

/** StartCallRequest of the spec; the request stage has validated it. */
interface StartCallRequest {
  delay?: number
  userExtension?: string
  visitorContext?: Record<string, unknown>
  authorizeUrl?: string
  authEncrypted?: boolean
}

export function createOperations(deps: Click2CallOperationsDeps): Record<string, OperationHandler> {
  return {
    startCall(request: FaceRequest): FaceResponse {
      const contactId = String(request.pathParams.contactId)
      const template = deps.templates.get(contactId)
      if (!template) return unknownContact(contactId, [...deps.templates.keys()])
      // The spec lets the '+' be left out; the network always holds E.164 with it.
      const phone = `+${String(request.pathParams.userPhone).replace(/^\+/, '')}`
      if (template.blockedNumbers.has(phone)) return authorisationFailed(phone)
      const body = (request.body ?? {}) as StartCallRequest
      const visitor = `tel:${phone}`
      const { scenarioId, lifecycle } = deps.selectLifecycle({
        faceId: FACE_ID,
        operationId: 'startCall',
        headers: request.headers,
        body,
        principal: request.principal,
        remoteAddress: visitor,
      })
      const session = deps.sessions.start({
        template,
        visitor,
        userExtension: body.userExtension,
        visitorContext: body.visitorContext,
        delayMs: (body.delay ?? 0) * 1000,
        scenarioId,
        lifecycle,
      })
      return { status: 200, body: { sessionId: session.id } }
    },

    getCallStatus(request: FaceRequest): FaceResponse {
      const sessionId = String(request.pathParams.sessionId)
      const session = deps.sessions.get(sessionId)
      if (!session) return sessionNotFound(sessionId)
      const view = stateOf(session, deps.sessions.callOf(session))
      // hasChanged and `more: maybe` are answers to "since my last poll", so each caller
      // (token subject) has its own memory.
      const caller = request.principal?.sub ?? ''
      const previous = session.seenBy.get(caller)
      session.seenBy.set(caller, view.state)
      return { status: 200, body: toClick2CallStatus(session.id, view, previous) }
    },

    endCall(request: FaceRequest): FaceResponse {
      const sessionId = String(request.pathParams.sessionId)
      const session = deps.sessions.get(sessionId)
      if (!session) return sessionNotFound(sessionId)
      if (deps.sessions.end(session) === 'already-ended') return alreadyEnded(session.id)
      return { status: 200, body: { callState: 'ended' } }
    },
  }
}
