import net from 'node:net'

/**
 * Sends bytes on a fresh TCP connection and collects what comes back until the server closes
 * it or `waitMs` passes: for requests no HTTP client would send (broken framing, slow drips).
 */
export async function sendRaw(
  port: number,
  chunks: readonly (string | Buffer)[],
  options: { waitMs?: number; endAfterWrite?: boolean } = {},
): Promise<{ text: string; closedByServer: boolean }> {
  const socket = net.connect(port, '127.0.0.1')
  const received: Buffer[] = []
  socket.on('data', (chunk: Buffer) => received.push(chunk))
  socket.on('error', () => undefined)
  let closedByServer = false
  const closed = new Promise<void>((done) =>
    socket.on('close', () => {
      closedByServer = true
      done()
    }),
  )
  await new Promise<void>((connected) => socket.once('connect', () => connected()))
  for (const chunk of chunks) socket.write(chunk)
  if (options.endAfterWrite) socket.end()
  await Promise.race([closed, new Promise((wait) => setTimeout(wait, options.waitMs ?? 2000))])
  const wasClosed = closedByServer
  socket.destroy()
  return { text: Buffer.concat(received).toString('utf8'), closedByServer: wasClosed }
}

/** The status code of the first response in raw HTTP text, or 0 when there is none. */
export function statusOf(text: string): number {
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(text)
  return match ? Number(match[1]) : 0
}
