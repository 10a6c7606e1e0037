// A baseline server for the benchmark, run as its own process:
//   node bench/baseline-server.js <kind> <port> <replies.json>
// It answers GET and POST /sessions with the JSON callsim sent in the same run, and does
// nothing else: no routing beyond what <kind> needs, no validation, no auth, no state.
//   express-ceiling  one Express 5 middleware answers every request (the ceiling of Express)
//   express-ceiling-prebuilt  the same app on the HTTP server callsim uses, which builds each
//                    request and response on Express's prototypes (src/http/create-http-server.ts)
//   express-route    Express 5 routes with express.json(), as a hand-written mock would be
//   node-http        node:http alone (the ceiling of the machine and the load generator)
import { readFileSync } from 'node:fs'
import http from 'node:http'

const [kind, portText, repliesFile = ''] = process.argv.slice(2)
const replies = JSON.parse(readFileSync(repliesFile, 'utf8'))
const BASE = '/webrtc-call-handling/vwip'

// Express only where the baseline uses it, so node-http's start-up is node:http's alone.
async function createApp() {
  if (kind === 'node-http') {
    return http.createServer((req, res) => {
      const created = req.method === 'POST'
      // The body must be read to the end before the socket can carry the next request.
      req.resume()
      req.on('end', () => {
        const text = JSON.stringify(created ? replies.post : replies.get)
        res.writeHead(created ? 201 : 200, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        })
        res.end(text)
      })
    })
  }
  const { default: express } = await import('express')
  const app = express()
  // The same two settings callsim uses, so that neither side pays for an ETag hash.
  app.disable('x-powered-by')
  app.disable('etag')
  if (kind === 'express-ceiling' || kind === 'express-ceiling-prebuilt') {
    app.use((req, res) => {
      const created = req.method === 'POST'
      res.status(created ? 201 : 200).json(created ? replies.post : replies.get)
    })
  } else if (kind === 'express-route') {
    app.post(`${BASE}/sessions`, express.json(), (_req, res) => {
      res.status(201).json(replies.post)
    })
    app.get(`${BASE}/sessions/:mediaSessionId`, (_req, res) => {
      res.status(200).json(replies.get)
    })
  } else {
    process.stderr.write(
      `unknown baseline kind "${kind}"; use express-ceiling, express-ceiling-prebuilt, express-route or node-http\n`,
    )
    process.exit(2)
  }
  if (kind !== 'express-ceiling-prebuilt') return http.createServer(app)
  // By URL, so that the type-check reads the types of the src/ file it is built from.
  /** @type {typeof import('../src/http/index.js')} */
  const { createExpressServer, DEFAULT_SERVER_LIMITS, silentLogger } = await import(
    new URL('../dist/http/index.js', import.meta.url).href
  )
  return createExpressServer(app, DEFAULT_SERVER_LIMITS, silentLogger)
}

const server = await createApp()
server.keepAliveTimeout = 60_000
server.listen(Number(portText), '127.0.0.1', () => {
  process.stdout.write(`${kind} listening on 127.0.0.1:${portText}\n`)
})
process.once('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
