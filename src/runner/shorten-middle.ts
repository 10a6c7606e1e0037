/**
 * Text of at most about `maxLength` characters, cut in the middle when longer: error messages
 * put what to do at their end (e.g. "start callsim with --allow-http-sinks"), so the end is
 * kept along with the start, and the cut says how much it left out.
 */
export function shortenMiddle(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text
  const keep = Math.max(2, maxLength - 30)
  const head = Math.ceil(keep / 2)
  const tail = keep - head
  const omitted = text.length - head - tail
  return `${text.slice(0, head)} …(${omitted} characters)… ${text.slice(text.length - tail)}`
}

/** Error bodies are shown whole up to this length: every error body callsim sends fits. */
export const ERROR_BODY_LENGTH = 2000
