/** The longest callback name callsim writes into a JSONP response. */
export const MAX_JSONP_CALLBACK_LENGTH = 128

const isLetter = (code: number): boolean =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36
const isDigit = (code: number): boolean => code >= 48 && code <= 57

/**
 * Whether `value` may name the function of a JSONP response: ASCII JavaScript identifiers
 * (letters, digits, `_`, `$`, not starting with a digit) joined by dots, at most 128
 * characters. The name is script a browser will run, so nothing else is ever echoed. One
 * pass over at most 128 characters: no regular expression engine is involved.
 * @example isJsonpCallbackName('c2c.onStatus') // true
 */
export function isJsonpCallbackName(value: unknown): value is string {
  if (typeof value !== 'string') return false
  if (value.length === 0 || value.length > MAX_JSONP_CALLBACK_LENGTH) return false
  let atStart = true
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i)
    if (code === 46) {
      if (atStart) return false
      atStart = true
    } else if (isLetter(code) || (!atStart && isDigit(code))) {
      atStart = false
    } else {
      return false
    }
  }
  return !atStart
}
