// One load run with autocannon against 127.0.0.1, reduced to the figures the report needs.
import autocannon from 'autocannon'

/**
 * Runs `duration` seconds (or `amount` requests) of keep-alive traffic over `connections`
 * connections. `paths` are used in turn, so GETs spread over every id created earlier;
 * `bodies` likewise for POSTs. `onResponse`, when given, sees every response body.
 * @param {{
 *   port: number, method: string, paths: string[], bodies?: string[],
 *   headers: Record<string, string>, connections: number, duration?: number, amount?: number,
 *   onResponse?: (status: number, body: string) => void,
 * }} options
 */
export async function runLoad({
  port,
  method,
  paths,
  bodies,
  headers,
  connections,
  duration,
  amount,
  onResponse,
}) {
  let next = 0
  const setupRequest = (req) => {
    const i = next
    next += 1
    req.path = paths[i % paths.length]
    if (bodies) req.body = bodies[i % bodies.length]
    return req
  }
  const tracker = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount === undefined ? { duration } : { amount }),
    headers,
    requests: [{ method, setupRequest, ...(onResponse ? { onResponse } : {}) }],
  })
  // autocannon's latency histogram keeps whole milliseconds, so a p99 of ~10 ms moves in steps
  // of 10 %; its response events carry every latency to the microsecond. Like its histogram,
  // these percentiles count 2xx answers only.
  const latencies = []
  tracker.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime)
  })
  const result = await tracker
  latencies.sort((a, b) => a - b)
  const percentile = (fraction) => {
    if (latencies.length === 0) return Number.NaN
    const value =
      latencies[Math.min(latencies.length - 1, Math.ceil(fraction * latencies.length) - 1)]
    return Math.round(value * 100) / 100
  }
  return {
    requests: result.requests.total,
    reqPerSec: result.requests.average,
    p50Ms: percentile(0.5),
    p99Ms: percentile(0.99),
    maxMs: result.latency.max,
    ok2xx: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    seconds: result.duration,
  }
}
