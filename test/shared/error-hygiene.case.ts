import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import net, { type AddressInfo } from 'node:net'
import request from 'supertest'
import { afterAll, afterEach, describe, expect, test } from 'vitest'

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/** A request the face accepts, with the JSON body its operation needs. */
interface ValidRequest {
  readonly method: 'get' | 'post' | 'put' | 'patch'
  /** Full path, base path included. */
  readonly path: string
  /** Everything the request needs to pass authentication and header validation. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: object
}

interface ErrorHygieneTarget {
  readonly app: RequestListener
  /** The face's base path, e.g. `/webrtc-call-handling/vwip`. */
  readonly basePath: string
  readonly validRequest: ValidRequest
  /** Checks the face's own error shape (CAMARA ErrorInfo, SBC codes, …) for a status. */
  readonly expectErrorBody: (body: unknown, status: number) => void
  dispose(): void
}

export type ErrorHygieneSetup = (options: {
  bodyLimitBytes?: number
}) => Promise<ErrorHygieneTarget>

/** How a face's valid request differs from CAMARA's createSession; the defaults are CAMARA's. */
export interface ErrorHygieneOptions {
  /**
   * `required` (default): an empty or missing body is a 400. `optional`: the operation accepts
   * both (Click2Call startCall). `none`: the operation reads no body at all (a GET), so the
   * body checks other than malformed JSON and size do not apply.
   */
  readonly body?: 'required' | 'optional' | 'none'
  /**
   * Whether the spec declares the x-correlator header with its pattern (CAMARA). Vendor specs
   * do not: a malformed correlator is then neither echoed nor refused.
   */
  readonly correlatorChecked?: boolean
}

const CORRELATOR = 'hygiene-4f1c'
const LIMIT = 2048
const TIMEOUT_MS = 5000

/**
 * What every face does with bad input (test/README.md, shared/): a JSON error in the face's
 * own shape, with the request's x-correlator echoed; never an HTML page, a stack trace or a
 * hang. Each face's test calls this with its own setup.
 */
export function runErrorHygieneSuite(
  face: string,
  setup: ErrorHygieneSetup,
  options: ErrorHygieneOptions = {},
): void {
  const body = options.body ?? 'required'
  const correlatorChecked = options.correlatorChecked ?? true
  describe(`error hygiene: ${face}`, () => {
    const targets: ErrorHygieneTarget[] = []
    const servers: http.Server[] = []
    afterEach(async () => {
      for (const target of targets.splice(0)) target.dispose()
      await Promise.all(
        servers.splice(0).map((server) => new Promise<void>((done) => server.close(() => done()))),
      )
    })
    const start = async (options: { bodyLimitBytes?: number } = {}) => {
      const target = await setup(options)
      targets.push(target)
      return { target, client: request(target.app) }
    }
    /**
     * One target for the suite's tests whose requests callsim refuses: a refused request
     * changes nothing, so they need no simulator of their own (~15 ms of CPU each, six faces
     * times eight tests). Tests that send a request callsim accepts, or need other options,
     * still start their own.
     */
    let refusing:
      Promise<{ target: ErrorHygieneTarget; client: ReturnType<typeof request> }> | undefined
    const startRefusing = () =>
      (refusing ??= setup({}).then((target) => ({ target, client: request(target.app) })))
    afterAll(async () => {
      if (refusing !== undefined) (await refusing).target.dispose()
    })

    /** The checks every error answer must pass, whatever its status. */
    const expectCleanError = (
      response: request.Response,
      status: number,
      target: ErrorHygieneTarget,
    ) => {
      expect(response.status).toBe(status)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.headers['x-correlator']).toBe(CORRELATOR)
      expect(response.text).not.toMatch(/<html|<!DOCTYPE|<pre>/i)
      // No stack frame, no source path, no stringified object.
      expect(response.text).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules|\[object Object\]/)
      const body: unknown = JSON.parse(response.text)
      target.expectErrorBody(body, status)
    }

    const send = (client: ReturnType<typeof request>, valid: ValidRequest) =>
      client[valid.method](valid.path)
        .set(valid.headers)
        .set('x-correlator', CORRELATOR)
        .timeout(TIMEOUT_MS)

    test('accepts the valid request the suite starts from, echoing x-correlator', async () => {
      const { target, client } = await start()
      const response = await send(client, target.validRequest).send(target.validRequest.body)
      expect(response.status).toBeLessThan(300)
      expect(response.headers['x-correlator']).toBe(CORRELATOR)
    })

    test('answers an unknown route under the base path with a JSON 404', async () => {
      const { target, client } = await startRefusing()
      const response = await client
        .get(`${target.basePath}/no/such/resource`)
        .set('x-correlator', CORRELATOR)
        .timeout(TIMEOUT_MS)
      expectCleanError(response, 404, target)
    })

    test('answers a path outside every API with a JSON 404', async () => {
      const { target, client } = await startRefusing()
      const response = await client
        .get('/index.html')
        .set('x-correlator', CORRELATOR)
        .timeout(TIMEOUT_MS)
      expect(response.status).toBe(404)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.text).not.toMatch(/<html/i)
      expect(response.headers['x-correlator']).toBe(CORRELATOR)
      expect(target.basePath).not.toBe('')
    })

    test('answers a wrong method with a JSON 405 and an Allow header', async () => {
      const { target, client } = await startRefusing()
      const valid = target.validRequest
      const response = await client
        .delete(valid.path)
        .set(valid.headers)
        .set('x-correlator', CORRELATOR)
        .timeout(TIMEOUT_MS)
      expectCleanError(response, 405, target)
      expect(response.headers.allow?.split(', ')).toContain(valid.method.toUpperCase())
    })

    test('answers malformed JSON with a 400 that says so', async () => {
      const { target, client } = await startRefusing()
      const response = await send(client, target.validRequest)
        .set('content-type', 'application/json')
        .send('{"unterminated": ')
      expectCleanError(response, 400, target)
      expect(response.text).toMatch(/JSON/)
    })

    test.skipIf(body !== 'required')(
      'answers a body without its required fields with a 400',
      async () => {
        const { target, client } = await startRefusing()
        const response = await send(client, target.validRequest).send({})
        expectCleanError(response, 400, target)
      },
    )

    test.skipIf(body !== 'required')('answers a missing body with a 400', async () => {
      const { target, client } = await startRefusing()
      const response = await send(client, target.validRequest)
      expectCleanError(response, 400, target)
    })

    test.skipIf(body === 'none')(
      'answers a media type the operation does not take with a JSON 415',
      async () => {
        const { target, client } = await startRefusing()
        const response = await send(client, target.validRequest)
          .set('content-type', 'text/plain')
          .send(JSON.stringify(target.validRequest.body))
        expectCleanError(response, 415, target)
        expect(response.text).toMatch(/text\/plain/)
      },
    )

    test('answers a declared body over the limit with a JSON 413 and closes the connection', async () => {
      const { target, client } = await start({ bodyLimitBytes: LIMIT })
      const response = await send(client, target.validRequest)
        .set('content-type', 'application/json')
        .send(`{"padding":"${'x'.repeat(LIMIT)}"}`)
      expectCleanError(response, 413, target)
      expect(response.headers.connection).toBe('close')
    })

    test('answers a chunked body that grows over the limit with a JSON 413, without hanging', async () => {
      const { target } = await start({ bodyLimitBytes: LIMIT })
      const server = http.createServer(target.app)
      servers.push(server)
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
      const { port } = server.address() as AddressInfo
      const valid = target.validRequest
      const answer = await new Promise<{
        status: number
        headers: http.IncomingHttpHeaders
        text: string
      }>((resolve, reject) => {
        let answered = false
        const req = http.request(
          {
            host: '127.0.0.1',
            port,
            method: valid.method.toUpperCase(),
            path: valid.path,
            headers: {
              ...valid.headers,
              'content-type': 'application/json',
              'transfer-encoding': 'chunked',
              'x-correlator': CORRELATOR,
            },
            timeout: TIMEOUT_MS,
          },
          (res) => {
            answered = true
            let text = ''
            res.setEncoding('utf8')
            res.on('data', (chunk: string) => (text += chunk))
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, headers: res.headers, text }),
            )
          },
        )
        req.on('timeout', () =>
          req.destroy(new Error('callsim did not answer an oversized chunked body')),
        )
        // Once the answer has arrived, the server may close the socket under the last chunks.
        req.on('error', (error) => {
          if (!answered) reject(error)
        })
        // No Content-Length: the body is chunked (said explicitly, since Node would not chunk a
        // GET on its own), so only counting can catch it.
        req.write('{"padding":"')
        for (let sent = 0; sent <= LIMIT; sent += 512) req.write('x'.repeat(512))
        req.end('"}')
      })
      expect(answer.status).toBe(413)
      expect(answer.headers['content-type']).toMatch(/^application\/json/)
      expect(answer.headers['x-correlator']).toBe(CORRELATOR)
      target.expectErrorBody(JSON.parse(answer.text), 413)
    })

    test.skipIf(body === 'none')(
      'reads a body that arrives in pieces after its headers',
      async () => {
        const { target } = await start()
        const server = http.createServer(target.app)
        servers.push(server)
        await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
        const { port } = server.address() as AddressInfo
        const valid = target.validRequest
        const payload = Buffer.from(JSON.stringify(valid.body))
        const headers = {
          ...valid.headers,
          host: '127.0.0.1',
          'content-type': 'application/json',
          'content-length': String(payload.length),
          'x-correlator': CORRELATOR,
          connection: 'close',
        }
        const head = `${valid.method.toUpperCase()} ${valid.path} HTTP/1.1\r\n${Object.entries(
          headers,
        )
          .map(([name, value]) => `${name}: ${value}\r\n`)
          .join('')}\r\n`
        const pause = () => new Promise((resume) => setTimeout(resume, 30))
        const socket = net.connect(port, '127.0.0.1')
        const received: Buffer[] = []
        socket.on('data', (chunk: Buffer) => received.push(chunk))
        const closed = new Promise<void>((done) => socket.on('close', () => done()))
        await new Promise<void>((connected) => socket.once('connect', () => connected()))
        // Headers first, then the body in two late halves: not in the buffer one tick later.
        socket.write(head)
        await pause()
        socket.write(payload.subarray(0, payload.length >> 1))
        await pause()
        socket.end(payload.subarray(payload.length >> 1))
        await closed
        const answer = Buffer.concat(received).toString('utf8')
        expect(answer).toMatch(/^HTTP\/1\.1 2\d\d /)
        expect(answer).toContain(`x-correlator: ${CORRELATOR}`)
      },
    )

    test('does not echo an x-correlator that breaks the spec pattern', async () => {
      const { target, client } = await start()
      const valid = target.validRequest
      const response = await client[valid.method](valid.path)
        .set(valid.headers)
        .set('x-correlator', 'has spaces and ü')
        .send(valid.body)
        .timeout(TIMEOUT_MS)
      expect(response.headers['x-correlator']).toBeUndefined()
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      if (!correlatorChecked) {
        expect(response.status).toBeLessThan(300)
        return
      }
      expect(response.status).toBe(400)
      target.expectErrorBody(response.body, 400)
    })

    test('survives a malformed percent-escape in the path', async () => {
      const { target, client } = await startRefusing()
      const response = await client
        .get(`${target.basePath}/%E0%A4%A/%%`)
        .set('x-correlator', CORRELATOR)
        .timeout(TIMEOUT_MS)
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.headers['x-correlator']).toBe(CORRELATOR)
    })
  })
}
