import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { assertBuilt } from '../support/run-callsim.js'

// callsim as a dependency of someone else's project: `npm pack`, then `npm install --no-save
// <tarball>` into an empty project, then the commands through npx, as the README shows, or the
// bin link npx runs. The install reads the npm cache first (--prefer-offline), which `npm ci` of
// this repository has filled with every dependency of the package.

const exec = promisify(execFile)
const REPO = process.cwd()
const workspace = mkdtempSync(path.join(os.tmpdir(), 'callsim-package-'))
const project = path.join(workspace, 'consumer')
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
  version: string
  scripts: Record<string, string>
}

/**
 * The environment of a user's shell: without the npm_* variables that `npm test` sets for this
 * repository (its package, its prefix), which would make npm in the project act on the repo.
 */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/^npm_/i.test(name) || /^npm_config_(cache|registry|userconfig)$/i.test(name),
  ),
)

const inProject = (command: string, args: string[], timeout = 30_000) =>
  exec(command, args, { cwd: project, env, timeout, maxBuffer: 16 * 1024 * 1024 })

/**
 * The bin link npm made in the project, which is what `npx callsim` runs once it has found it.
 * The first tests find it through npx; the others call the link itself, which spares the ~0.7 s
 * of CPU that each start of the npm CLI costs.
 */
const installedBin = (args: string[], timeout?: number) =>
  inProject(path.join(project, 'node_modules', '.bin', 'callsim'), args, timeout)

let tarball = ''
let packedFiles: string[] = []

beforeAll(async () => {
  assertBuilt()
  // The build ran already (npm test builds first); prepare, which would build again, is tested
  // by the next test's look at the scripts.
  const { stdout } = await exec(
    'npm',
    ['pack', '--ignore-scripts', '--json', '--pack-destination', workspace],
    { cwd: REPO, env, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
  )
  const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[]
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`)
  tarball = path.join(workspace, packed.filename)
  packedFiles = packed.files.map((file) => file.path)
  await exec('mkdir', ['-p', project])
  writeFileSync(
    path.join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }),
  )
  await inProject(
    'npm',
    ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', tarball],
    90_000,
  )
}, 150_000)

afterAll(() => rmSync(workspace, { recursive: true, force: true }))

test('packs what runs and nothing of the development tree, and builds on prepare', () => {
  expect(packedFiles).toEqual(
    expect.arrayContaining([
      'LICENSE',
      'README.md',
      'package.json',
      'dist/bin/callsim.js',
      'dist/bin/callsim-bundle.cjs',
      'spec/camara/webrtc-call-handling.yaml',
      'scenarios/default.yaml',
      'config/call-templates.yaml',
    ]),
  )
  const development = packedFiles.filter((file) =>
    /^(src|test|bench|docs|scripts|\.ci)\/|\.map$|^(tsconfig|eslint|vitest)/.test(file),
  )
  expect(development).toEqual([])
  // A git dependency and `npm pack` run prepare: what they carry is built, not the dist/ of
  // whoever packed.
  expect(manifest.scripts.prepare).toBe('npm run build')
})

test('runs `npx callsim -V` (--version), and `callsim token` through the bin link npx runs, in a project that installed the tarball', async () => {
  // npx keeps `--version` after a command name for itself (it prints npm's version), so the
  // README shows the short flag. That the bin answers `--version` too is the usage test's; what
  // only this file can show is npx finding the installed bin, and one npx start (~0.8 s of CPU)
  // shows it.
  const short = await inProject('npx', ['callsim', '-V'])
  expect(short.stdout).toBe(`${manifest.version}\n`)
  const token = await installedBin(['token', '--scope', 'sbc:sessions:read'])
  expect(token.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+\n$/)
}, 60_000)

test('plays a scenario file of the project with `callsim run`', async () => {
  writeFileSync(
    path.join(project, 'register.yaml'),
    [
      'description: registers a device',
      'steps:',
      '  - request: createRegistration',
      '    body: { deviceId: 4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11 }',
      '    expect: { status: 201 }',
      '',
    ].join('\n'),
  )
  const { stdout } = await installedBin(['run', 'register.yaml'], 45_000)
  expect(stdout.trimEnd().split('\n').pop()).toBe('1 passed, 0 failed')
}, 60_000)

test('serves with `callsim serve` through the bin link npx runs, and answers a request with the token it prints', async () => {
  // The link itself: the first test saw npx find it, and an npm CLI start is ~0.7 s of CPU. Its
  // own process group all the same, so that stopping it stops whatever the link started.
  const bin = path.join(project, 'node_modules', '.bin', 'callsim')
  const child = spawn(bin, ['serve', '--port', '0', '--log-level', 'silent'], {
    cwd: project,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  try {
    const deadline = Date.now() + 30_000
    let banner: RegExpExecArray | null = null
    while (!(banner = /listening on (\S+)[^]*export TOKEN=(\S+)/.exec(output))) {
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`callsim serve did not start:\n${output}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    const [, url, token] = banner
    const response = await fetch(`${url}/webrtc-registration/vwip/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: '4f8a1c52-6b0e-4d0a-9a57-3c2f1e0b7d11' }),
      signal: AbortSignal.timeout(10_000),
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ regInfo: { regStatus: 'Registered' } })
  } finally {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
  }
}, 60_000)
