import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express } from 'express'
import { createExpressServer, type Logger, type ServerLimits } from '../http/index.js'
import { listenProblem } from './listen-problem.js'
import { StartupError } from './read-sources.js'

/** A listening callsim server (the simulator's or the proxy's). */
export interface RunningServer {
  readonly url: string
  readonly server: Server
  /** Runs `dispose`, drops every connection and stops listening. */
  close(): Promise<void>
}

/**
 * Listens on host and port (port 0 picks a free one) with callsim's server limits; a port in
 * use or a host that is not this machine's fails as a StartupError that names the option.
 */
export function listenApp(
  app: Express,
  options: { readonly host: string; readonly port: number; readonly serverLimits: ServerLimits },
  logger: Logger,
  dispose: () => void,
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = createExpressServer(app, options.serverLimits, logger).listen(
      options.port,
      options.host,
    )
    server.once('error', (error) =>
      reject(new StartupError([listenProblem(error, options.host, options.port)])),
    )
    server.once('listening', () => {
      const { port } = server.address() as AddressInfo
      const host = options.host.includes(':') ? `[${options.host}]` : options.host
      resolve({
        url: `http://${host}:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            dispose()
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
