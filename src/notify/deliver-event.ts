import type { CloudEvent } from './cloud-event.js'

/** CloudEvents HTTP binding, structured mode: the whole event is the JSON body. */
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json'

/** How long one attempt may take before callsim gives up on it and counts it as failed. */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5000

export interface DeliveryRequest {
  readonly url: string
  readonly event: CloudEvent
  /** The sinkCredential access token, sent as `Authorization: Bearer`. */
  readonly accessToken?: string | undefined
  readonly timeoutMs: number
  /** Aborts the attempt, e.g. when the simulator resets or stops. */
  readonly signal?: AbortSignal | undefined
}

/**
 * What one attempt came to. `retryable` marks failures that may pass on a later attempt:
 * no connection, a timeout, 408, 429 and 5xx. Any other answer outside 2xx is the sink
 * refusing the event, and sending it again would be refused again.
 */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number; readonly latencyMs: number }
  | {
      readonly kind: 'failed'
      readonly retryable: boolean
      readonly status?: number
      readonly error: string
      readonly latencyMs: number
    }

const RETRYABLE_STATUS = (status: number): boolean =>
  status === 408 || status === 429 || status >= 500

/** POSTs one event to its sink and reports the outcome; it never throws. */
export async function deliverEvent(request: DeliveryRequest): Promise<DeliveryOutcome> {
  const headers: Record<string, string> = {
    'content-type': CLOUDEVENTS_CONTENT_TYPE,
    // The callback declares x-correlator; the event id lets a sink's logs meet callsim's journal.
    'x-correlator': request.event.id,
  }
  if (request.accessToken !== undefined) headers.authorization = `Bearer ${request.accessToken}`
  const timeout = AbortSignal.timeout(request.timeoutMs)
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout
  const started = performance.now()
  const elapsed = (): number => Math.round((performance.now() - started) * 1000) / 1000
  try {
    // A sink that redirects is misconfigured; following a POST across hosts is not callsim's call.
    const response = await fetch(request.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(request.event),
      signal,
      redirect: 'manual',
    })
    // The body is not needed, but reading it to the end frees the connection for the next event.
    await response.arrayBuffer().catch(() => undefined)
    const latencyMs = elapsed()
    if (response.status >= 200 && response.status < 300)
      return { kind: 'delivered', status: response.status, latencyMs }
    return {
      kind: 'failed',
      retryable: RETRYABLE_STATUS(response.status),
      status: response.status,
      error: `the sink answered ${response.status}`,
      latencyMs,
    }
  } catch (error) {
    const latencyMs = elapsed()
    if (timeout.aborted)
      return {
        kind: 'failed',
        retryable: true,
        error: `no answer within ${request.timeoutMs} ms`,
        latencyMs,
      }
    if (request.signal?.aborted)
      return {
        kind: 'failed',
        retryable: false,
        error: 'the delivery was cancelled: the simulator reset or stopped',
        latencyMs,
      }
    return {
      kind: 'failed',
      retryable: true,
      error: `the sink cannot be reached: ${describe(error)}`,
      latencyMs,
    }
  }
}

/** undici reports "fetch failed" and hides the reason (ECONNREFUSED, ...) in `cause`. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code
    return typeof code === 'string' ? `${code} (${cause.message})` : cause.message
  }
  return error.message
}
