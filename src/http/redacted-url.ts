import type { Request } from 'express'

const ACCESS_TOKEN = /([?&]access_token=)[^&#]*/g

/**
 * The request URL as journals and logs show it: a bearer token sent in the `access_token`
 * query parameter (RFC 6750 §2.3, used by JSONP pages) is replaced, since URLs are exactly
 * what gets logged and the token is a credential.
 */
export function redactedUrl(req: Request): string {
  const url = req.originalUrl
  return url.includes('access_token=') ? url.replace(ACCESS_TOKEN, '$1REDACTED') : url
}
