import type { Observation, ObservedExchange } from './observation.js'

/**
 * What a recording keeps out of its files. A recording is shared (committed, attached to a bug
 * report), so bearer tokens and sink credentials are redacted unless the user says otherwise;
 * phone numbers are the user's choice, because they are often test numbers worth keeping.
 */
export interface Redaction {
  /** Bearer tokens (`Authorization`, an `access_token` query parameter). */
  readonly authorization: boolean
  /** Secret members of `sinkCredential` (its `accessToken` and the like). */
  readonly sinkCredential: boolean
  /** E.164 numbers, as `tel:`/`sip:` URIs or `+` digits, anywhere in the recording. */
  readonly phoneNumbers: boolean
}

export const DEFAULT_REDACTION: Redaction = {
  authorization: true,
  sinkCredential: true,
  phoneNumbers: false,
}

/** What a redacted secret becomes: a string, so the request still fits its schema. */
const REDACTED = 'REDACTED'

/**
 * Members of a sink credential that hold the secret: `accessToken`, `refreshToken`, `password`,
 * `clientSecret`. `accessTokenType` and `accessTokenExpiresUtc` say nothing secret and stay.
 */
const SECRET_MEMBER = /(token|secret|password)$/i

/**
 * A `tel:`/`sip:` number or a bare `+` number of 6 to 15 digits (E.164 allows at most 15), not
 * glued to other digits or letters, so ids and timestamps are left alone.
 */
const PHONE_NUMBER = /(?<![0-9A-Za-z])((?:tel:|sip:)?\+?)([0-9]{6,15})(?![0-9])/g

/**
 * Replaces each distinct number with a stand-in that stays the same across the recording: the
 * caller of one call is still the callee of another, and a token's `sub` still matches the
 * originator it was checked against, so a redacted recording replays as the original did.
 */
export class PhonePseudonyms {
  private readonly byNumber = new Map<string, string>()

  /** Every number in `text`, replaced. */
  replaceIn(text: string): string {
    return text.replace(PHONE_NUMBER, (whole, prefix: string, digits: string) => {
      // Without tel:/sip: or '+', a digit string is more likely an id or a count than a number.
      if (prefix === '') return whole
      return `${prefix}${this.standIn(digits)}`
    })
  }

  private standIn(digits: string): string {
    let standIn = this.byNumber.get(digits)
    if (standIn === undefined) {
      // +1 555 01xx xxxx: the fictional 555-01xx range, clear of callsim's magic numbers
      // (+1555010048x… sit in 0100), and 11 digits, which every E.164 pattern accepts.
      standIn = `1555${String(2_000_000 + this.byNumber.size).padStart(7, '0')}`
      this.byNumber.set(digits, standIn)
    }
    return standIn
  }
}

/** A JSON value with every string (keys included) passed through `map`. */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value)
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map))
  if (typeof value === 'object' && value !== null) {
    // fromEntries defines own properties, so a key "__proto__" stays data, never a prototype.
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [map(key), mapStrings(child, map)]),
    )
  }
  return value
}

function redactSinkCredentials(value: unknown, inCredential = false): unknown {
  if (Array.isArray(value)) return value.map((item) => redactSinkCredentials(item, inCredential))
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => {
      if (inCredential && SECRET_MEMBER.test(key) && typeof child === 'string')
        return [key, REDACTED]
      return [key, redactSinkCredentials(child, inCredential || key === 'sinkCredential')]
    }),
  )
}

function redactQueryToken(path: string): string {
  const question = path.indexOf('?')
  if (question === -1) return path
  const query = new URLSearchParams(path.slice(question + 1))
  if (!query.has('access_token')) return path
  query.set('access_token', REDACTED)
  return `${path.slice(0, question)}?${query.toString()}`
}

function redactExchange(
  exchange: ObservedExchange,
  redaction: Redaction,
  phones: PhonePseudonyms,
): ObservedExchange {
  let { path, requestHeaders, requestBody, responseBody, responseHeaders } = exchange
  if (redaction.sinkCredential) {
    requestBody = redactSinkCredentials(requestBody)
    responseBody = redactSinkCredentials(responseBody)
  }
  if (redaction.authorization) {
    // The token's claims (sub, scope) are kept apart by the recorder before this runs, so a
    // redacted recording still says whose request it was.
    requestHeaders = Object.fromEntries(
      Object.entries(requestHeaders).map(([name, value]) => [
        name,
        name === 'authorization' ? REDACTED : value,
      ]),
    )
    path = redactQueryToken(path)
  }
  if (redaction.phoneNumbers) {
    const replace = (text: string): string => phones.replaceIn(text)
    path = replace(path)
    requestHeaders = mapStrings(requestHeaders, replace) as Record<string, string>
    responseHeaders = mapStrings(responseHeaders, replace) as Record<string, string>
    requestBody = mapStrings(requestBody, replace)
    responseBody = mapStrings(responseBody, replace)
  }
  return { ...exchange, path, requestHeaders, requestBody, responseHeaders, responseBody }
}

/**
 * The observations with what `redaction` names taken out. Pseudonyms are shared by all of them
 * (pass the same `phones` to several calls for one recording), so a number maps to one stand-in.
 */
export function redactObservations(
  observations: readonly Observation[],
  redaction: Redaction,
  phones: PhonePseudonyms = new PhonePseudonyms(),
): Observation[] {
  return observations.map((observation) => {
    if (observation.kind === 'exchange') return redactExchange(observation, redaction, phones)
    let event = observation.event
    if (redaction.sinkCredential) event = redactSinkCredentials(event)
    if (redaction.phoneNumbers) event = mapStrings(event, (text) => phones.replaceIn(text))
    return { ...observation, event }
  })
}
