import type { IncomingHttpHeaders } from 'node:http'
import type { RequestHandler } from 'express'
import type { Face, ProtocolError } from '../../apis/index.js'
import { mediaTypeOf } from '../../contract/index.js'
import type { RequestContext } from '../request-context.js'
import type { SendReply } from '../send-reply.js'

/** What the control plane admits besides loopback names (docs/admin-api.md, "Exposing callsim"). */
export interface ControlPlaneAccess {
  /** Host names (no port) a request's Host header may name: `--host` and every `--allowed-host`. */
  readonly allowedHosts: readonly string[]
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and ::1 (RFC 6761 §6.3, RFC 1122 §3.2.1.3). */
function isLoopbackName(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    hostname === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(hostname)
  )
}

/** The host name of a Host header, lower case, without port or IPv6 brackets. */
function hostnameOf(host: string): string {
  const lower = host.trim().toLowerCase()
  if (lower.startsWith('[')) return lower.slice(1, lower.indexOf(']'))
  // A bare IPv6 address (an --allowed-host value such as ::1) has no port to strip.
  if (lower.indexOf(':') !== lower.lastIndexOf(':')) return lower
  const colon = lower.lastIndexOf(':')
  return colon === -1 ? lower : lower.slice(0, colon)
}

/** Methods that change nothing; every other control request must declare JSON. */
const READ_ONLY = new Set(['GET', 'HEAD'])

/**
 * Why a control request is refused before its body is read, or undefined. Browsers let any page
 * send GETs and "simple" POSTs (text/plain, no preflight) to 127.0.0.1, and a page whose name
 * re-resolves to 127.0.0.1 (DNS rebinding) can read the answers too. So the control plane takes
 * requests only for a Host that is this callsim's, from no Origin but its own, as JSON, and with
 * the admin token when callsim has one.
 */
function refuseControlRequest(
  method: string,
  headers: IncomingHttpHeaders,
  allowedHosts: ReadonlySet<string>,
  refuseCredentials: ((authorization: unknown) => string | undefined) | undefined,
): ProtocolError | undefined {
  const { host, origin } = headers
  if (host !== undefined) {
    const hostname = hostnameOf(host)
    if (!isLoopbackName(hostname) && !allowedHosts.has(hostname)) {
      return {
        kind: 'permission-denied',
        reason: `the control API answers only requests for this callsim's own host names, and "${hostname.slice(0, 64)}" is not one of them; start callsim with --allowed-host ${hostname.slice(0, 64)} if it should be`,
      }
    }
  }
  const site = headers['sec-fetch-site']
  const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none'
  if (
    crossSite ||
    (origin !== undefined && origin.toLowerCase() !== `http://${host?.toLowerCase()}`)
  ) {
    return {
      kind: 'permission-denied',
      reason: 'the control API refuses requests from web pages of another origin',
    }
  }
  const refused = refuseCredentials?.(headers.authorization)
  if (refused !== undefined) return { kind: 'unauthenticated', reason: refused }
  if (!READ_ONLY.has(method) && mediaTypeOf(headers['content-type']) !== 'application/json') {
    return {
      kind: 'unsupported-media-type',
      message: `The control API takes ${method} requests only with Content-Type: application/json, even without a body, so that no web page can send them; got ${mediaTypeOf(headers['content-type']) ?? '(none)'}.`,
    }
  }
  return undefined
}

/** Where the gate stands: every request to a control-plane face, route misses included. */
export const isControlPlane = (face: Face): boolean => face.controlPlane === true

/**
 * The control plane's gate (faces with `controlPlane`), before authentication and before the
 * body is read. A route miss under the control plane waits for it too, so that nothing there
 * answers a foreign page, not even its 404.
 */
export function guardControlPlane(access: ControlPlaneAccess, send: SendReply): RequestHandler {
  const allowedHosts = new Set(access.allowedHosts.map(hostnameOf))
  return (req, res, next) => {
    const context = res.locals.callsim as RequestContext
    const face = context.face
    if (!face.controlPlane) {
      next()
      return
    }
    const refusal = refuseControlRequest(
      req.method,
      req.headers,
      allowedHosts,
      face.refuseCredentials,
    )
    if (refusal !== undefined) {
      send(req, res, face.formatError(refusal))
      return
    }
    if (context.answerMiss !== undefined) {
      context.answerMiss()
      return
    }
    next()
  }
}
