import {
  formatSpecProblem,
  isObject,
  parseYamlSource,
  toPointer,
  type CompileCache,
  type SpecProblem,
} from '../../contract/index.js'
import { err, ok, type Result } from '../../core/index.js'

/**
 * Oracle Click2Call: a call template (addressed by `contactId`) describes the contact-centre
 * side of a click-to-call. callsim needs its address and, optionally, numbers that pre-call
 * authorisation refuses.
 */
export interface CallTemplate {
  readonly contactId: string
  /** The contact centre's address (tel: E.164 or sip:user@host): the originator of the call. */
  readonly address: string
  readonly name: string | undefined
  /** Visitor numbers (E.164, with '+') refused with 403, like a blacklist. */
  readonly blockedNumbers: ReadonlySet<string>
}

export type CallTemplates = ReadonlyMap<string, CallTemplate>

/** The built-in templates, relative to the package root; `callsim serve --call-templates` replaces them. */
export const DEFAULT_CALL_TEMPLATES_FILE = 'config/call-templates.yaml'

/** The path pattern of `contactId` in spec/oracle/click2call.yaml. */
const CONTACT_ID = /^[A-Za-z0-9_-]{1,64}$/
/** Addresses the CAMARA face can show as originatorAddress (its own pattern, the usual forms). */
const ADDRESS = /^(tel:\+[1-9][0-9]{4,14}|sip:[A-Za-z0-9_.!%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})$/
const E164 = /^\+[1-9][0-9]{4,14}$/
const FIELDS = new Set(['address', 'name', 'blockedNumbers'])

/**
 * Reads a call-template file (YAML or JSON):
 * `templates: { <contactId>: { address, name?, blockedNumbers? } }`. Every problem is
 * reported, each with file, line and JSON pointer, so a broken file fails start-up once.
 * @example parseCallTemplates('templates:\n  sales:\n    address: tel:+4570101010\n', 'call-templates.yaml')
 */
export function parseCallTemplates(
  text: string,
  source: string,
  cache?: CompileCache,
): Result<CallTemplates, string[]> {
  const parsed = parseYamlSource(text, source, cache)
  if (!parsed.ok) return err(parsed.error.map(formatSpecProblem))
  const { data, lineOf } = parsed.value
  const problems: SpecProblem[] = []
  const problem = (segments: readonly (string | number)[], message: string): void => {
    const pointer = toPointer(segments)
    problems.push({ source, pointer, line: lineOf(pointer), message })
  }
  const templates = new Map<string, CallTemplate>()
  const root = isObject(data) ? data.templates : undefined
  if (!isObject(root) || Object.keys(root).length === 0) {
    problem(
      ['templates'],
      'expected an object "templates" that maps each contactId to { address, name?, blockedNumbers? }',
    )
    return err(problems.map(formatSpecProblem))
  }
  for (const [contactId, entry] of Object.entries(root)) {
    const at = ['templates', contactId]
    if (!CONTACT_ID.test(contactId))
      problem(
        at,
        `contactId "${contactId}" must match ${CONTACT_ID.source} (the path pattern of startCall)`,
      )
    if (!isObject(entry)) {
      problem(at, 'a template must be an object with an "address"')
      continue
    }
    for (const key of Object.keys(entry)) {
      if (!FIELDS.has(key))
        problem(
          [...at, key],
          `unknown field "${key}"; a template has address, name and blockedNumbers`,
        )
    }
    const { address, name, blockedNumbers = [] } = entry
    if (typeof address !== 'string' || !ADDRESS.test(address)) {
      problem(
        [...at, 'address'],
        'address must be a tel: URI in E.164 form (tel:+4570101010) or a sip:user@host URI',
      )
    }
    if (
      name !== undefined &&
      (typeof name !== 'string' || name.length === 0 || name.length > 256)
    ) {
      problem([...at, 'name'], 'name must be a text of 1 to 256 characters')
    }
    const blocked = new Set<string>()
    if (!Array.isArray(blockedNumbers)) {
      problem(
        [...at, 'blockedNumbers'],
        'blockedNumbers must be a list of E.164 numbers such as "+15550666"',
      )
    } else {
      blockedNumbers.forEach((number: unknown, index) => {
        if (typeof number === 'string' && E164.test(number)) blocked.add(number)
        else
          problem(
            [...at, 'blockedNumbers', index],
            `${JSON.stringify(number)} is not an E.164 number such as "+15550666"`,
          )
      })
    }
    if (typeof address === 'string') {
      templates.set(contactId, {
        contactId,
        address,
        name: typeof name === 'string' ? name : undefined,
        blockedNumbers: blocked,
      })
    }
  }
  return problems.length > 0 ? err(problems.map(formatSpecProblem)) : ok(templates)
}
