import { authHeaders } from './api.js'

export type StreamState = 'connecting' | 'live' | 'unauthenticated' | 'offline'

/**
 * Listens to GET /_callsim/stream. EventSource cannot send an Authorization header, so the
 * stream is read with fetch and its Server-Sent Events frames are parsed here; the admin token
 * never appears in a URL.
 */
export function listenToChanges(
  onEvent: (name: string, data: unknown) => void,
  onState: (state: StreamState) => void,
): { reconnect(): void } {
  let controller = new AbortController()
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  const connect = async (): Promise<void> => {
    onState('connecting')
    const signal = controller.signal
    try {
      const response = await fetch('/_callsim/stream', {
        headers: { accept: 'text/event-stream', ...authHeaders() },
        cache: 'no-store',
        signal,
      })
      if (response.status === 401) {
        onState('unauthenticated')
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
        while (end >= 0) {
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
    retryTimer = setTimeout(() => void connect(), 1000)
  }

  void connect()
  return {
    reconnect: () => {
      controller.abort()
      if (retryTimer !== undefined) clearTimeout(retryTimer)
      controller = new AbortController()
      void connect()
    },
  }
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
