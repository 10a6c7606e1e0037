// One load run with autocannon against 127.0.0.1, reduced to the figures the report needs.
import autocannon from 'autocannon'

/**
 * Runs `duration` seconds (or `amount` requests) of keep-alive traffic over `connections`
 * connections. `paths` are used in turn, so GETs spread over every id created earlier;
 * `bodies` likewise for POSTs. `onResponse`, when given, sees every response body.
 */
export async function runLoad({ port, method, paths, bodies, headers, connections, duration, amount, onResponse }) {
  let next = 0
  const setupRequest = (req) => {
    const i = next
    next += 1
    req.path = paths[i % paths.length]
    if (bodies) req.body = bodies[i % bodies.length]
    return req
  }
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount === undefined ? { duration } : { amount }),
    headers,
    requests: [{ method, setupRequest, ...(onResponse ? { onResponse } : {}) }],
  })
  return {
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  }
}
