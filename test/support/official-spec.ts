import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  formatSpecProblem,
  loadSpec,
  validateResponse,
  type CompiledSpec,
} from '../../src/contract/index.js'
import type { RecordedExchange } from './record-responses.js'

/**
 * An unchanged copy of the official CAMARA WebRTC Call Handling definition (Apache-2.0): the
 * reference the suite holds callsim to, besides the project's own spec.
 */
export const OFFICIAL_CALL_HANDLING_FILE = fileURLToPath(
  new URL('../contract/fixtures/webrtc-call-handling.yaml', import.meta.url),
)

let official: CompiledSpec | undefined

export function loadOfficialCallHandlingSpec(): CompiledSpec {
  if (official) return official
  const loaded = loadSpec(
    readFileSync(OFFICIAL_CALL_HANDLING_FILE, 'utf8'),
    'test/contract/fixtures/webrtc-call-handling.yaml',
  )
  if (!loaded.ok) throw new Error(loaded.error.map(formatSpecProblem).join('\n'))
  official = loaded.value
  return official
}

/**
 * Statuses the HTTP shell answers outside every operation's contract (unknown route, wrong
 * method, oversize body, wrong media type): docs/decisions/002-protocol-errors.md.
 */
const PROTOCOL_STATUSES = new Set([405, 413, 415])

/**
 * Validates recorded call-handling responses against the official reference spec. Returns one
 * line per violation (empty when all conform) and how many responses were checked.
 */
export function checkAgainstOfficialSpec(exchanges: readonly RecordedExchange[]): {
  checked: number
  violations: string[]
} {
  const spec = loadOfficialCallHandlingSpec()
  const base = spec.spec.basePath
  const violations: string[] = []
  let checked = 0
  for (const exchange of exchanges) {
    const path = exchange.url.split('?', 1)[0] ?? ''
    if (!path.startsWith(`${base}/`) || PROTOCOL_STATUSES.has(exchange.status)) continue
    const match = spec.index.match(exchange.method, path.slice(base.length))
    if (match.kind !== 'matched') continue
    checked += 1
    const contentType = exchange.headers['content-type']
    let body: unknown
    try {
      body = exchange.body === '' ? undefined : (JSON.parse(exchange.body) as unknown)
    } catch {
      violations.push(
        `${exchange.method} ${path} → ${exchange.status}: the body is not JSON: ${exchange.body.slice(0, 80)}`,
      )
      continue
    }
    const found = validateResponse(match.target, {
      status: exchange.status,
      contentType: typeof contentType === 'string' ? contentType : undefined,
      body,
      headers: exchange.headers,
    })
    for (const violation of found)
      violations.push(
        `${exchange.method} ${path} → ${exchange.status}: ${violation.path}: ${violation.message}`,
      )
  }
  return { checked, violations }
}
