import type { CompiledOperation, CompiledSpec, Violation } from '../contract/index.js'
import { InternalError, type Lifecycle } from '../core/index.js'

/** The verified caller behind a request's bearer token. */
export interface Principal {
  /** The subscriber address (`tel:` or `sip:` URI) the token was issued to. */
  readonly sub: string
  readonly scopes: ReadonlySet<string>
  readonly claims: Readonly<Record<string, unknown>>
}

/** A request as a face sees it: already routed, authenticated and validated. */
export interface FaceRequest {
  readonly operation: CompiledOperation
  readonly pathParams: Readonly<Record<string, unknown>>
  readonly query: Readonly<Record<string, unknown>>
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, unknown>>
  readonly body: unknown
  readonly principal: Principal | undefined
  /**
   * The scenario that governs this request, chosen once by the HTTP shell before the fault
   * stage (the journal and the handler see the same one). Undefined only on the control plane,
   * which scenarios never govern.
   */
  readonly scenario: GoverningScenario | undefined
}

/** The part of the governing scenario a face needs: its id (kept on the call) and lifecycle. */
export interface GoverningScenario {
  readonly id: string
  readonly lifecycle: Lifecycle
}

/**
 * Where a request that creates a call names the party the simulator plays (the callee of an
 * outgoing call): scenarios' `match: remoteAddress` rules (magic numbers) test it.
 */
export interface RemoteAddressReader {
  /** The address is in the body, so the body is read before the scenario is chosen. */
  readonly inBody: boolean
  read(request: Pick<FaceRequest, 'pathParams' | 'body'>): string | undefined
}

export interface FaceResponse {
  readonly status: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /**
   * Marks a response the HTTP shell makes outside any operation's contract (unknown route,
   * wrong method, oversize body): it is not checked against an operation's responses.
   */
  readonly protocol?: boolean
  /**
   * The network call this exchange was about, so that the journal can place it on the call's
   * ladder diagram (the web console). Set by handlers that found or created a call.
   */
  readonly callId?: string
  /** A response that stays open and streams Server-Sent Events (GET /_callsim/stream). */
  readonly stream?: EventStream
}

/**
 * An open-ended response: the HTTP shell sends the status and headers, then `open` writes
 * Server-Sent Events frames until the client goes away and the returned function is called.
 */
export interface EventStream {
  open(write: (frame: string) => void): () => void
}

/** Marks a face's response as an exchange about one call (see FaceResponse.callId). */
export function aboutCall(callId: string, response: FaceResponse): FaceResponse {
  return { ...response, callId }
}

/** Failures every face must be able to express in its own error format. */
export type ProtocolError =
  | { readonly kind: 'route-not-found'; readonly method: string; readonly path: string }
  | {
      readonly kind: 'method-not-allowed'
      readonly method: string
      readonly path: string
      readonly allowed: readonly string[]
    }
  | { readonly kind: 'invalid-request'; readonly violations: readonly Violation[] }
  | { readonly kind: 'unsupported-media-type'; readonly message: string }
  | { readonly kind: 'malformed-body'; readonly message: string }
  | { readonly kind: 'payload-too-large'; readonly limitBytes: number }
  | { readonly kind: 'unauthenticated'; readonly reason: string }
  | { readonly kind: 'permission-denied'; readonly reason: string }
  | { readonly kind: 'internal'; readonly message: string }
  /**
   * `callsim proxy`: the provider behind it could not be reached or did not answer in time
   * (502, 504), or answered outside its spec under `--strict` (502 with the violations).
   */
  | {
      readonly kind: 'upstream-failed'
      readonly status: 502 | 504
      readonly reason: string
      readonly violations?: readonly Violation[]
    }

export type OperationHandler = (request: FaceRequest) => FaceResponse | Promise<FaceResponse>

/** One API face over the network: its spec, its mount point and a handler per operationId. */
export interface Face {
  readonly id: string
  readonly spec: CompiledSpec
  readonly basePath: string
  readonly handlers: Readonly<Record<string, OperationHandler>>
  /** Puts a protocol failure in this face's error shape. */
  formatError(error: ProtocolError): FaceResponse
  /**
   * Puts an error that a scenario's fault plan injects (`action: { type: respond, status, code,
   * message }`) in this face's error shape, e.g. CAMARA's `{ status, code, message }`. `code` is
   * the scenario's string, meant for the face's code field. The loader validates the result
   * against each targeted operation's declared responses, so the body must be what this face
   * would send for that status. Without it, callsim sends `{ status, code, message }`.
   */
  formatInjectedError?(status: number, code: string, message: string): FaceResponse
  /**
   * What a JSONP caller's function receives for a reply (operations marked `x-jsonp-callback`,
   * called with a callback): a page's `<script>` only runs 2xx responses, so a face turns a
   * failure into a 200 whose body says what failed. Without it, replies pass unchanged.
   */
  toJsonpReply?(reply: FaceResponse): FaceResponse
  /** The operations that create a call, by operationId, and where each names the remote party. */
  readonly remoteAddresses?: Readonly<Record<string, RemoteAddressReader>>
  /**
   * The control API: scenarios never govern it, faults never touch it, and the HTTP shell lets
   * only same-origin JSON requests for its own host names through (docs/admin-api.md).
   */
  readonly controlPlane?: boolean
  /**
   * The control plane's own credential check (`--admin-token`): why a request with this
   * Authorization header is refused, or undefined. The shell runs it before reading the body.
   */
  refuseCredentials?(authorization: unknown): string | undefined
  /** Forgets state the face keeps beside the network (the control API's reset); most keep none. */
  reset?(): void
}

/**
 * The success answer the served file declares for an operation: `preferred` where declared,
 * else its lowest declared 2xx (releases differ: createRegistration answers 201 at the
 * development state and 200 in r1.2 and r2.2; r1.2's updateRegistrationById declares only 204).
 * A status that declares no content is sent without the body.
 */
export function successOf(
  operation: CompiledOperation,
  preferred: number,
  body?: unknown,
): FaceResponse {
  const declared = [...operation.responses.keys()].filter((key) => /^2\d\d$/.test(key)).sort()
  const status = declared.includes(String(preferred)) ? preferred : Number(declared[0] ?? preferred)
  const content = operation.responses.get(String(status))?.content
  return content !== undefined && content.size === 0 ? { status } : { status, body }
}

/**
 * What every face says in its 413: the limit, and the two ways past it. Read before the 413 is
 * sent, the body is discarded, never handled (docs/http-limits.md).
 */
export function payloadTooLargeMessage(limitBytes: number): string {
  return `The request body is larger than callsim's limit of ${limitBytes} bytes. Send a smaller body, or start callsim with a higher limit: callsim serve --body-limit <bytes>.`
}

/** The injected error of a fault plan in the face's shape, or a plain `{ status, code, message }`. */
export function injectedErrorOf(
  face: Face,
  status: number,
  code: string,
  message: string,
): FaceResponse {
  return (
    face.formatInjectedError?.(status, code, message) ?? { status, body: { status, code, message } }
  )
}

/** Builds a face from a compiled spec, refusing specs whose operations it cannot serve. */
export function assertHandlersCoverSpec(
  id: string,
  spec: CompiledSpec,
  handlers: Readonly<Record<string, OperationHandler>>,
): void {
  const missing = [...spec.operations.keys()].filter((operationId) => !(operationId in handlers))
  if (missing.length > 0) {
    throw new Error(
      `Failed to mount ${spec.spec.source} as the ${id} face: callsim has no handler for ${missing.join(', ')}. ` +
        'Use a release of the spec with the same operationIds.',
    )
  }
}

/**
 * The governing scenario of a request that creates a call. The HTTP shell always chooses one
 * for a face that is not the control plane, so its absence is callsim's own bug.
 */
export function assertGoverningScenario(request: FaceRequest): GoverningScenario {
  if (!request.scenario) {
    throw new InternalError(
      `${request.operation.operationId} reached its handler without a governing scenario`,
    )
  }
  return request.scenario
}
