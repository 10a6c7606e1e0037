import request from 'supertest'
import type { Simulator } from '../../src/app/index.js'
import type { CompiledOperation } from '../../src/contract/index.js'
import type { Observation } from '../../src/scenario/index.js'

/** The operations of a simulator's faces by operationId, as the recorder takes them. */
export function servedOperations(simulator: Simulator): Map<string, CompiledOperation> {
  return new Map(simulator.faces.flatMap((face) => [...face.spec.operations]))
}

export interface ObservingClient {
  /** What a proxy in front of the simulator would have reported, in order. */
  readonly observations: Observation[]
  send(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options?: { token?: string; headers?: Record<string, string>; body?: unknown },
  ): Promise<request.Response>
}

/**
 * A client that talks to a simulator and keeps each exchange as the proxy's `Observation`, timed
 * on the simulator's clock: a stand-in for `callsim proxy` in tests of the recorder.
 */
export function createObservingClient(simulator: Simulator): ObservingClient {
  const observations: Observation[] = []
  const operationIdOf = (method: string, path: string): { face: string; id?: string } => {
    const pathOnly = path.split('?')[0] as string
    for (const face of simulator.faces) {
      if (!pathOnly.startsWith(`${face.basePath}/`)) continue
      const match = face.spec.index.match(method, pathOnly.slice(face.basePath.length))
      return { face: face.id, id: match.kind === 'matched' ? match.target.operationId : undefined }
    }
    return { face: 'none' }
  }
  return {
    observations,
    async send(method, path, options = {}) {
      const requestHeaders: Record<string, string> = { ...options.headers }
      if (options.token) requestHeaders.authorization = `Bearer ${options.token}`
      if (options.body !== undefined) requestHeaders['content-type'] = 'application/json'
      const at = simulator.clock.now()
      let pending = request(simulator.app)[method.toLowerCase() as 'get'](path)
      for (const [name, value] of Object.entries(requestHeaders)) pending = pending.set(name, value)
      const response =
        options.body === undefined ? await pending : await pending.send(options.body as object)
      const { face, id } = operationIdOf(method, path)
      observations.push({
        kind: 'exchange',
        at,
        elapsedMs: simulator.clock.now() - at,
        face,
        operationId: id,
        method,
        path,
        requestHeaders: Object.fromEntries(
          Object.entries(requestHeaders).map(([name, value]) => [name.toLowerCase(), value]),
        ),
        requestBody: options.body,
        status: response.status,
        responseHeaders: Object.fromEntries(
          Object.entries(response.headers as Record<string, unknown>).map(([name, value]) => [
            name,
            String(value),
          ]),
        ),
        responseBody: response.text === '' ? undefined : (response.body as unknown),
      })
      return response
    },
  }
}
