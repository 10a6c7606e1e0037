/**
 * A request as a client sends it to a callsim listening on a port: a bearer token, a JSON body
 * when there is one, and at most 10 s to answer, so a hung server fails the test, not the run.
 */
export function sendJson(
  url: string,
  method: string,
  token: string,
  body?: object,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  })
}
