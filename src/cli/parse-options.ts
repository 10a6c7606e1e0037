import { InvalidArgumentError } from 'commander'
import { parseDuration } from '../app/index.js'

/** Commander argument parsers that reject bad values with a message naming the rule. */
export function parseInteger(min: number, max: number) {
  return (value: string): number => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`)
    }
    return number
  }
}

export function parseDurationOption(value: string): number {
  const parsed = parseDuration(value)
  if (!parsed.ok) throw new InvalidArgumentError(`${parsed.error}.`)
  return parsed.value
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value]
}

/** `--max-file-size <MiB>`: a positive number of mebibytes, in bytes. */
export function parseMebibytes(value: string): number {
  const mebibytes = Number(value)
  if (!Number.isFinite(mebibytes) || mebibytes <= 0 || mebibytes > 1024) {
    throw new InvalidArgumentError('expected a number of MiB above 0 and at most 1024, e.g. 20.')
  }
  return Math.round(mebibytes * 1024 * 1024)
}
