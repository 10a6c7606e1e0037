/**
 * An exchange's body as the console shows it: JSON indented, other text as it is. A body the
 * journal no longer keeps is said to be so, rather than shown as if there had been none.
 */
export function bodyText(text: string | undefined, dropped: boolean | undefined): string {
  if (dropped === true) return '(no longer kept: newer bodies have taken its room in the journal)'
  if (text === undefined || text === '') return '(no body)'
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
