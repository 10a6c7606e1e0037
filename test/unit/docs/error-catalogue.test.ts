import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'

// docs/errors.md promises to list every code each face can send; this keeps it honest in both
// directions: a code a face's errors.ts sends is documented, and a documented code is sent.

const read = (file: string): string =>
  readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')

/** The backticked codes in the code column (the second) of a docs/errors.md section's tables. */
function documentedCodes(heading: string): Set<string> {
  const docs = read('docs/errors.md')
  const start = docs.indexOf(`## ${heading}`)
  expect(start, `docs/errors.md has a section "## ${heading}"`).toBeGreaterThanOrEqual(0)
  const end = docs.indexOf('\n## ', start + 3)
  const section = docs.slice(start, end === -1 ? undefined : end)
  const codes = new Set<string>()
  let codeColumn = false
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) continue
    const cells = line.split('|').map((cell) => cell.trim())
    if (cells[1] === 'status') codeColumn = cells[2] === 'code' || cells[2] === 'error'
    else if (codeColumn)
      for (const [, code] of (cells[2] ?? '').matchAll(/`(\w+)`/g)) codes.add(code as string)
  }
  return codes
}

/** The quoted codes a face's error file sends: CAMARA's UPPER_SNAKE strings, the SBC's code union. */
function sentCodes(file: string): Set<string> {
  const source = read(file)
  const sbcUnion = /^(?:export )?type SbcErrorCode = ([^\n]+)/m.exec(source)?.[1]
  const pattern = sbcUnion === undefined ? /'([A-Z][A-Z_]{2,})'/g : /'(\w+)'/g
  return new Set([...(sbcUnion ?? source).matchAll(pattern)].map(([, code]) => code as string))
}

const CAMARA_COMMON = sentCodes('src/apis/camara-common/error-info.ts')

const FACES = [
  {
    errors: 'src/apis/camara-call-handling/errors.ts',
    heading: 'CAMARA WebRTC Call Handling',
    camara: true,
  },
  {
    errors: 'src/apis/camara-registration/errors.ts',
    heading: 'CAMARA WebRTC Registration',
    camara: true,
  },
  { errors: 'src/apis/camara-events/errors.ts', heading: 'CAMARA WebRTC Events', camara: true },
  { errors: 'src/apis/telecomx-sbc/errors.ts', heading: 'TelecomX SBC sessions', camara: false },
  { errors: 'src/apis/admin/errors.ts', heading: 'callsim control API', camara: true },
]

test.each(FACES)('docs/errors.md lists every code $errors sends', ({ errors, heading }) => {
  const sent = sentCodes(errors)
  expect(sent.size).toBeGreaterThan(0)
  expect([...sent].filter((code) => !documentedCodes(heading).has(code))).toEqual([])
})

test.each(FACES)(
  'every code docs/errors.md lists under "$heading" is one the face sends',
  ({ errors, heading, camara }) => {
    const sent = new Set([...sentCodes(errors), ...(camara ? CAMARA_COMMON : [])])
    expect([...documentedCodes(heading)].filter((code) => !sent.has(code))).toEqual([])
  },
)

test('docs/errors.md lists every code all CAMARA faces share, under Call Handling', () => {
  const documented = documentedCodes('CAMARA WebRTC Call Handling')
  expect([...CAMARA_COMMON].filter((code) => !documented.has(code))).toEqual([])
})
