/** The control API as the console calls it: same-origin JSON, with the tab's admin token. */

const BASE = '/_callsim'
const TOKEN_KEY = 'callsim.adminToken'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** The admin token lives in sessionStorage: this tab only, gone when it closes. */
export const adminToken = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string): void => sessionStorage.setItem(TOKEN_KEY, token),
  clear: (): void => sessionStorage.removeItem(TOKEN_KEY),
}

let onUnauthenticated: (message: string) => void = () => undefined

/** Who hears that the control API wants a (different) admin token. */
export function whenUnauthenticated(listener: (message: string) => void): void {
  onUnauthenticated = listener
}

export function authHeaders(): Record<string, string> {
  const token = adminToken.get()
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** Calls an operation of spec/callsim-admin.yaml and returns its JSON body. */
export async function callApi<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() }
  // The control API takes writes only as JSON (its cross-site protection), even without a body.
  if (method !== 'GET') headers['content-type'] = 'application/json'
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  })
  const text = await response.text()
  const parsed: unknown = text === '' ? undefined : JSON.parse(text)
  if (!response.ok) {
    const message =
      typeof parsed === 'object' && parsed !== null && 'message' in parsed
        ? String(parsed.message)
        : `${method} ${path} answered ${response.status}`
    if (response.status === 401) onUnauthenticated(message)
    throw new ApiError(response.status, message)
  }
  return parsed as T
}

/** A query string from the values that are set. */
export function query(
  params: Readonly<Record<string, string | number | boolean | undefined>>,
): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(name, String(value))
  }
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
