import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'

/** The built bin; `npm test` builds before vitest runs. */
export const CALLSIM_BIN = path.resolve('dist/bin/callsim.js')

export interface CallsimRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

const children: ChildProcess[] = []

export function assertBuilt(): void {
  if (!existsSync(CALLSIM_BIN)) throw new Error('dist/bin/callsim.js is missing: run `npm run build` first (npm test does).')
}

/** Runs `callsim <args>` to completion, killed after `timeoutMs` (45 s unless given) at the latest. */
export function runCallsim(
  args: readonly string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CallsimRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CALLSIM_BIN, ...args], {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      timeout: options.timeoutMs ?? 45_000,
    })
    children.push(child)
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Stops every child a test left running; call it from afterEach. */
export function stopCallsimRuns(): void {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGTERM')
}
