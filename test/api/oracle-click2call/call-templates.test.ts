import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, expect, test } from 'vitest'
import { StartupError } from '../../../src/app/index.js'
import { startSimulator } from '../../support/start-simulator.js'
import { setup } from './setup.js'

const dir = mkdtempSync(path.join(tmpdir(), 'callsim-templates-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function templatesFile(name: string, text: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, text)
  return file
}

test('serves the templates of a --call-templates file instead of the built-in ones', async () => {
  const file = templatesFile(
    'shop.yaml',
    'templates:\n  checkout-help:\n    address: sip:help@shop.example.com\n    name: Checkout help\n',
  )
  const { startCall, calls } = await setup({ callTemplates: file })
  expect((await startCall(undefined, 'checkout-help')).status).toBe(200)
  expect(calls()[0]?.originator).toEqual({
    address: 'sip:help@shop.example.com',
    name: 'Checkout help',
  })
  expect((await startCall(undefined, 'sales')).status).toBe(404)
})

test('reads a JSON templates file too', async () => {
  const file = templatesFile(
    'shop.json',
    JSON.stringify({ templates: { desk: { address: 'tel:+4533333333' } } }),
  )
  const { startCall, calls } = await setup({ callTemplates: file })
  expect((await startCall(undefined, 'desk')).status).toBe(200)
  expect(calls()[0]?.originator.address).toBe('tel:+4533333333')
})

test('refuses to start with a broken templates file and lists every problem with its line', () => {
  const file = templatesFile(
    'broken.yaml',
    [
      'templates:',
      '  sales:',
      '    address: +4570101010',
      '  bad.id:',
      '    address: tel:+4570202020',
      '  support:',
      '    address: tel:+4570303030',
      '    blockedNumbers: [4599999999]',
      '    colour: red',
      '',
    ].join('\n'),
  )
  let thrown: unknown
  try {
    startSimulator({ callTemplates: file })
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(StartupError)
  const problems = (thrown as StartupError).problems
  expect(problems).toHaveLength(4)
  expect(problems[0]).toMatch(
    /broken\.yaml:3 at \/templates\/sales\/address: address must be a tel: URI in E\.164 form/,
  )
  expect(problems[1]).toMatch(
    /broken\.yaml:5 at \/templates\/bad\.id: contactId "bad\.id" must match/,
  )
  expect(problems[2]).toMatch(
    /broken\.yaml:9 at \/templates\/support\/colour: unknown field "colour"/,
  )
  expect(problems[3]).toMatch(
    /broken\.yaml:8 at \/templates\/support\/blockedNumbers\/0: 4599999999 is not an E\.164 number/,
  )
})

test('names the file when the templates file cannot be read', () => {
  expect(() => startSimulator({ callTemplates: path.join(dir, 'missing.yaml') })).toThrow(
    /Failed to read .*missing\.yaml: no such file/,
  )
})
