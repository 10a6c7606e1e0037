import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect } from 'vitest'
import { advance, startSimulator } from '../support/start-simulator.js'
import { browserTest, withBrowserPage } from '../support/browser.js'

const WEBSITE = 'sip:website@shop.example.com'
const SCOPES = 'click2call:calls:create click2call:calls:read click2call:calls:delete'

/**
 * The website's page, as the guide's JSONP examples build one: each request is a <script>
 * element, each answer a call of one of the page's functions. It starts a call, polls the
 * status every 50 ms until the call is connected, ends it, polls until `more` is "no" (a
 * scheduled call says "no" too, until its time comes), then tries to end it once more. Everything the functions receive goes to `window.c2c.log`.
 */
function websitePage(api: string, token: string): string {
  return `<!doctype html>
<html><head><title>Call me back</title></head>
<body>
<button id="call">Call me</button>
<script>
  const API = ${JSON.stringify(api)}
  const TOKEN = ${JSON.stringify(token)}
  function jsonp(path, callback) {
    const script = document.createElement('script')
    script.src = API + path + (path.includes('?') ? '&' : '?') +
      'callback=' + callback + '&access_token=' + encodeURIComponent(TOKEN)
    // A bad request (a refused callback name) gets a JSON 400, which the browser will not run.
    script.onerror = () => c2c.log.push({ scriptError: path })
    script.onload = () => script.remove()
    document.head.append(script)
  }
  window.c2c = {
    log: [],
    sessionId: undefined,
    onStart(reply) {
      c2c.log.push({ start: reply })
      if (reply.statuscode) return
      c2c.sessionId = reply.sessionId
      c2c.poll()
    },
    poll() { jsonp('/' + c2c.sessionId + '/status', 'c2c.onStatus') },
    onStatus(reply) {
      c2c.log.push({ status: reply })
      if (reply.statuscode) return
      if (reply.callState === 'connected') jsonp('/' + c2c.sessionId + '/end', 'c2c.onEnd')
      // The guide says more "no" while a call is scheduled: it changes only at scheduledTime.
      else if (reply.more !== 'no' || reply.callState === 'scheduled') setTimeout(c2c.poll, 50)
      else jsonp('/' + c2c.sessionId + '/end', 'c2c.onEndAgain')
    },
    onEnd(reply) {
      c2c.log.push({ end: reply })
      c2c.poll()
    },
    onEndAgain(reply) { c2c.log.push({ endAgain: reply }) },
  }
  document.getElementById('call').addEventListener('click', () =>
    jsonp('/sales/' + encodeURIComponent('+4581808888') + '/start?delay=2&visitorId=v-1&language=da', 'c2c.onStart'))
</script>
</body></html>`
}

/** The website: another origin than callsim's, as a real shop is. */
async function serveWebsite(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(html)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}/` }
}

browserTest(
  'a web page starts, polls and ends a Click2Call call through JSONP <script> elements',
  async () => {
    const simulator = startSimulator()
    const running = await simulator.listen()
    const { token } = await simulator.control.issueToken({
      sub: WEBSITE,
      scope: SCOPES,
      expiresInMs: 3_600_000,
    })
    const website = await serveWebsite(websitePage(`${running.url}/call/2.0`, token))
    try {
      await withBrowserPage(async (page) => {
        type Entry = Record<string, Record<string, unknown> | string>
        // Strings, not functions: they run in the page, whose DOM types this project does not compile against.
        const log = () => page.evaluate('window.c2c.log') as Promise<Entry[]>
        const waitFor = (predicate: string) =>
          page.waitForFunction(`window.c2c.log.some((entry) => ${predicate})`, undefined, {
            timeout: 10_000,
          })
        await page.goto(website.url)
        await page.click('#call')
        await waitFor(`entry.status && entry.status.callState === 'scheduled'`)
        // The call is placed after its 2 s delay; the default scenario answers 4 s later.
        advance(simulator, 2000)
        await waitFor(`entry.status && entry.status.callState === 'initiated'`)
        advance(simulator, 4000)
        await waitFor(`entry.endAgain`)

        const entries = await log()
        const sessionId = (entries[0]?.start as { sessionId: string }).sessionId
        expect(sessionId).toMatch(/^[0-9a-f-]{36}$/)
        // Repeated polls of an unchanged state say hasChanged "no": keep the changes only.
        const statuses = entries
          .filter((entry) => entry.status !== undefined)
          .map((entry) => entry.status as Record<string, unknown>)
        expect(statuses.filter((status) => status.hasChanged === 'yes')).toEqual([
          expect.objectContaining({ callState: 'scheduled', more: 'no' }),
          expect.objectContaining({ callState: 'initiated', more: 'yes' }),
          expect.objectContaining({ callState: 'connected', more: 'yes' }),
          expect.objectContaining({ callState: 'disconnected', more: 'no' }),
        ])
        expect(entries.filter((entry) => entry.end !== undefined)).toEqual([
          { end: { callState: 'ending' } },
        ])
        expect(entries.at(-1)).toEqual({
          endAgain: {
            statuscode: 403,
            reason: `The call is already ending or has ended: session ${sessionId} cannot be ended again.`,
          },
        })
        // The same call, seen by the network (and so by CAMARA and the SBC face).
        expect([...simulator.control.calls()]).toEqual([
          expect.objectContaining({
            status: 'Terminated',
            endedBy: 'A',
            endedReason: 'BYE',
            receiver: expect.objectContaining({ address: 'tel:+4581808888' }),
          }),
        ])

        // A callback name that is not an identifier is refused with a 400 the browser will not run.
        const refusedUrl = `${running.url}/call/2.0/${sessionId}/status?callback=${encodeURIComponent('alert(1)//')}`
        await page.evaluate(`{
          const script = document.createElement('script')
          script.src = ${JSON.stringify(refusedUrl)}
          script.onerror = () => window.c2c.log.push({ refused: true })
          document.head.append(script)
        }`)
        await waitFor(`entry.refused`)
      })
    } finally {
      await new Promise<void>((resolve) => website.server.close(() => resolve()))
      await running.close()
    }
  },
)
