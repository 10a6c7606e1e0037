/**
 * What a proxy saw of a real provider, in the shape the recorder turns into scenario files.
 * It lives beside the loader because a recording is the loader's inverse: whatever the proxy
 * observes must become a file the loader accepts.
 */

/** One request forwarded to the provider and the answer it gave. */
export interface ObservedExchange {
  readonly kind: 'exchange'
  /** Milliseconds since the epoch when the request arrived at the proxy. */
  readonly at: number
  /** Milliseconds from the request's arrival to the provider's complete answer. */
  readonly elapsedMs: number
  /** The face the request was addressed to (its name in the face table). */
  readonly face: string
  /** The spec operation the request matched; undefined when it matched none. */
  readonly operationId: string | undefined
  readonly method: string
  /** The path as the client sent it, query string included. */
  readonly path: string
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly requestHeaders: Readonly<Record<string, string>>
  /** The parsed JSON body, or undefined when there was none or it was not JSON. */
  readonly requestBody: unknown
  readonly status: number
  readonly responseHeaders: Readonly<Record<string, string>>
  readonly responseBody: unknown
}

/** One CloudEvent the provider delivered to a sink the proxy relays. */
export interface ObservedCallback {
  readonly kind: 'callback'
  readonly at: number
  /** The app's original sink the event was forwarded to. */
  readonly sink: string
  readonly event: unknown
}

export type Observation = ObservedExchange | ObservedCallback
