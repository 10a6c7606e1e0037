import {
  aboutCall,
  assertGoverningScenario,
  type FaceRequest,
  type FaceResponse,
  type OperationHandler,
  type RemoteAddressReader,
} from '../face.js'
import type { CallTemplates } from './call-templates.js'
import type { Click2CallSessions } from './click2call-sessions.js'
import { alreadyEnded, authorisationFailed, sessionNotFound, unknownContact } from './errors.js'
import { stateOf, toClick2CallStatus } from './to-click2call-status.js'

export const FACE_ID = 'oracle-click2call'

export interface Click2CallOperationsDeps {
  readonly sessions: Click2CallSessions
  readonly templates: CallTemplates
}

/** The start parameters, whether a JSON body (startCall) or query parameters (startCallJsonp) carried them. */
interface StartParameters {
  delay?: number
  userExtension?: string
  visitorContext?: Record<string, unknown>
  authorizeUrl?: string
  authEncrypted?: boolean
}

/** The query parameters of startCallJsonp that make up the guide's visitor context. */
const VISITOR_CONTEXT_QUERY = [
  'visitorId',
  'referrerUrl',
  'language',
  ...Array.from({ length: 10 }, (_, i) => `var${i + 1}`),
]

/** startCallJsonp's query, checked and coerced by the request stage, as start parameters. */
function fromQuery(query: Readonly<Record<string, unknown>>): StartParameters {
  const context: Record<string, unknown> = {}
  for (const name of VISITOR_CONTEXT_QUERY)
    if (query[name] !== undefined) context[name] = query[name]
  return {
    delay: query.delay as number | undefined,
    userExtension: query.userExtension as string | undefined,
    visitorContext: Object.keys(context).length > 0 ? context : undefined,
    authorizeUrl: query.authorizeUrl as string | undefined,
    authEncrypted: query.authEncrypted as boolean | undefined,
  }
}

/** The visitor's number: the spec lets the '+' be left out; the network holds E.164 with it. */
function phoneOf(pathParams: FaceRequest['pathParams']): string {
  return `+${String(pathParams.userPhone).replace(/^\+/, '')}`
}

/** The visitor, the party the simulator plays, read from the path by both forms of start. */
const VISITOR: RemoteAddressReader = {
  inBody: false,
  read: ({ pathParams }) => `tel:${phoneOf(pathParams)}`,
}

export const REMOTE_ADDRESSES: Readonly<Record<string, RemoteAddressReader>> = {
  startCall: VISITOR,
  startCallJsonp: VISITOR,
}

/** The token subject behind a request: a session answers only to the one that started it. */
const callerOf = (request: FaceRequest): string => request.principal?.sub ?? ''

export function createOperations(deps: Click2CallOperationsDeps): Record<string, OperationHandler> {
  const start = (
    request: FaceRequest,
    operationId: string,
    parameters: StartParameters,
  ): FaceResponse => {
    const contactId = String(request.pathParams.contactId)
    const template = deps.templates.get(contactId)
    if (!template) return unknownContact(contactId, [...deps.templates.keys()])
    const phone = phoneOf(request.pathParams)
    if (template.blockedNumbers.has(phone)) return authorisationFailed(phone)
    const visitor = `tel:${phone}`
    const scenario = assertGoverningScenario(request)
    const session = deps.sessions.start({
      owner: callerOf(request),
      template,
      visitor,
      userExtension: parameters.userExtension,
      visitorContext: parameters.visitorContext,
      delayMs: (parameters.delay ?? 0) * 1000,
      scenarioId: scenario.id,
      lifecycle: scenario.lifecycle,
    })
    const reply = { status: 200, body: { sessionId: session.id } }
    // A call without delay is placed at once; a scheduled one joins its ladder when polled.
    return session.callId === undefined ? reply : aboutCall(session.callId, reply)
  }

  /** Ends the caller's session; `callState` is what the JSON (ended) or JSONP (ending) form says. */
  const end = (request: FaceRequest, callState: 'ended' | 'ending'): FaceResponse => {
    const sessionId = String(request.pathParams.sessionId)
    const session = deps.sessions.get(sessionId, callerOf(request))
    if (!session) return sessionNotFound(sessionId)
    const call = deps.sessions.callOf(session)
    const reply =
      deps.sessions.end(session) === 'already-ended'
        ? alreadyEnded(session.id)
        : { status: 200, body: { callState } }
    return call ? aboutCall(call.id, reply) : reply
  }

  return {
    startCall: (request) => start(request, 'startCall', (request.body ?? {}) as StartParameters),

    startCallJsonp: (request) => start(request, 'startCallJsonp', fromQuery(request.query)),

    getCallStatus(request: FaceRequest): FaceResponse {
      const sessionId = String(request.pathParams.sessionId)
      const session = deps.sessions.get(sessionId, callerOf(request))
      if (!session) return sessionNotFound(sessionId)
      const call = deps.sessions.callOf(session)
      const view = stateOf(session, call)
      // hasChanged and `more: maybe` answer "since my last poll"; only the owner polls.
      const previous = session.lastPolled
      deps.sessions.notePoll(session, view.state)
      const reply = { status: 200, body: toClick2CallStatus(session.id, view, previous) }
      return call ? aboutCall(call.id, reply) : reply
    },

    endCall: (request) => end(request, 'ended'),

    endCallJsonp: (request) => end(request, 'ending'),
  }
}
