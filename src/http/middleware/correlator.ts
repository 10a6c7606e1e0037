const CORRELATOR_PATTERN = /^[a-zA-Z0-9\-_:;./<>{}]{0,256}$/

/**
 * Reads `x-correlator`. A valid one is echoed on every response, errors included; an invalid one
 * is not echoed, since the echo would itself break the response contract, and request
 * validation reports it.
 */
export function readCorrelator(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined
  return CORRELATOR_PATTERN.test(header) ? header : undefined
}
