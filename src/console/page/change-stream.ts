import { authHeaders } from './api.js'

export type StreamState = 'connecting' | 'live' | 'unauthenticated' | 'refused' | 'offline'

/** How long the page waits before asking again after the stream failed or was refused. */
const RETRY_AFTER_FAILURE_MS = 1000
const RETRY_AFTER_REFUSAL_MS = 5000

/**
 * Listens to GET /_callsim/stream. EventSource cannot send an Authorization header, so the
 * stream is read with fetch and its Server-Sent Events frames are parsed here; the admin token
 * never appears in a URL. `watchCall` opens it anew for the call whose ladder is open, so that
 * each batch says whether that call changed instead of the page looking for it among the ids.
 */
export function listenToChanges(
  onEvent: (name: string, data: unknown) => void,
  onState: (state: StreamState, reason?: string) => void,
): { reconnect(): void; watchCall(callId: string | undefined): void } {
  let controller = new AbortController()
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let watchedCall: string | undefined

  const connect = async (): Promise<void> => {
    onState('connecting')
    const signal = controller.signal
    try {
      const search = watchedCall === undefined ? '' : `?call=${encodeURIComponent(watchedCall)}`
      const response = await fetch(`/_callsim/stream${search}`, {
        headers: { accept: 'text/event-stream', ...authHeaders() },
        cache: 'no-store',
        signal,
      })
      if (response.status === 401) {
        onState('unauthenticated')
        return
      }
      if (response.status === 403) {
        // The control plane refused this page's Host or Origin: retrying at once cannot help,
        // but callsim may be restarted with --allowed-host, so the page asks again now and then.
        onState('refused', await refusalReason(response))
        retryTimer = setTimeout(() => void connect(), RETRY_AFTER_REFUSAL_MS)
        return
      }
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`)
      onState('live')
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
      let buffer = ''
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += value
        let end = buffer.indexOf('\n\n')
        // A stream given up for another call hands nothing more on: its batches speak of the old one.
        while (end >= 0 && !signal.aborted) {
          dispatch(buffer.slice(0, end), onEvent)
          buffer = buffer.slice(end + 2)
          end = buffer.indexOf('\n\n')
        }
      }
    } catch (error) {
      if (signal.aborted) return
      console.warn('callsim console: the change stream failed', error)
    }
    if (signal.aborted) return
    onState('offline')
    retryTimer = setTimeout(() => void connect(), RETRY_AFTER_FAILURE_MS)
  }

  const reconnect = (): void => {
    controller.abort()
    if (retryTimer !== undefined) clearTimeout(retryTimer)
    controller = new AbortController()
    void connect()
  }
  void connect()
  return {
    reconnect,
    watchCall: (callId) => {
      if (callId === watchedCall) return
      watchedCall = callId
      reconnect()
    },
  }
}

/** The `message` of the control API's error body, which says what to change. */
async function refusalReason(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown }
    if (typeof body.message === 'string') return body.message
  } catch {
    // Not the control API's JSON (a proxy in between, perhaps): the status says enough.
  }
  return `The control API answered ${response.status}.`
}

/** One frame: `event:` names it, `data:` lines carry JSON; comments and `retry:` are skipped. */
function dispatch(frame: string, onEvent: (name: string, data: unknown) => void): void {
  let name = 'message'
  const data: string[] = []
  for (const line of frame.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim()
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart())
  }
  if (data.length === 0) return
  try {
    onEvent(name, JSON.parse(data.join('\n')) as unknown)
  } catch (error) {
    // A view that fails on one event must not cut the stream for the others.
    console.error('callsim console: failed to handle a change event', error)
  }
}
