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
