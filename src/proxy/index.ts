/**
 * `callsim proxy`: a shell beside http/ that forwards each request on a face to a real
 * provider, judges both sides against the face's spec with contract/, journals like http/,
 * relays the provider's callbacks and hands what it saw to a listener (the recorder).
 */
export { createProxyApp } from './create-proxy-app.js'
export { DEFAULT_UPSTREAM_TIMEOUT_MS, type Observers, type ProxyShared } from './proxy-options.js'
export { createCallbackRelay, type CallbackRelay } from './relay-callbacks.js'
export type { AttributedViolation } from './check-exchange.js'
