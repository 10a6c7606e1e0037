import { existsSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { test } from 'vitest'

/**
 * Where Debian's `chromium` package puts the browser (`.ci/run` installs it when missing).
 * CHROMIUM_PATH overrides the search, for a developer whose browser lives elsewhere.
 */
const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser']

const INSTALL_HINT =
  'Install Debian\'s "chromium" package (apt-get update && apt-get install -y --no-install-recommends chromium) or set CHROMIUM_PATH.'

/** The Chromium executable the browser tests drive, or undefined when none is installed. */
function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env.CHROMIUM_PATH
  if (override !== undefined && override !== '') return existsSync(override) ? override : undefined
  return CHROMIUM_CANDIDATES.find((candidate) => existsSync(candidate))
}

/**
 * Why the browser tests cannot run here, or undefined when they can. Only a developer's
 * machine may skip them: under CI (CI set to anything but "false" or "") a missing browser is
 * not a reason to skip, so the test runs and fails in `launchBrowser` with the install hint.
 */
export function browserSkipReason(
  executablePath: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (executablePath !== undefined) return undefined
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false'
  if (ci) return undefined
  return `no Chromium found (CI is not set, so the browser tests skip). ${INSTALL_HINT}`
}

const chromiumPath = findChromium()
const skipReason = browserSkipReason(chromiumPath)
if (skipReason !== undefined) console.warn(`Browser tests skipped: ${skipReason}`)

/**
 * A `test` that drives a real browser. Where the browser tests may skip (see
 * `browserSkipReason`), it is reported as skipped with the reason in its name.
 */
export function browserTest(name: string, body: () => Promise<void>, timeoutMs = 30_000): void {
  if (skipReason === undefined) test(name, body, timeoutMs)
  else test.skip(`${name} [skipped: ${skipReason}]`, body)
}

/** A name the tests' Chromium resolves to 127.0.0.1 although callsim does not count it as loopback. */
export const NON_LOOPBACK_HOST = 'devbox.callsim.test'

/** Starts headless Chromium; throws with the install hint when there is none. */
async function launchBrowser(): Promise<Browser> {
  if (chromiumPath === undefined)
    throw new Error(`Failed to start the browser for a browser test: ${INSTALL_HINT}`)
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox; the pages are our own.
  // The resolver rule gives tests a host name that is not loopback (as a colleague's machine
  // would open the console) without leaving 127.0.0.1.
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', `--host-resolver-rules=MAP ${NON_LOOPBACK_HOST} 127.0.0.1`],
  })
}

let shared: Promise<Browser> | undefined

/**
 * The process's one headless Chromium, launched by the first test that asks (about a second
 * of CPU, once per fork instead of once per file) and left running for the next: vitest runs
 * files with isolate: false, so the test files of a fork share this module. Tests stay apart
 * by taking a fresh context each (cookies, storage, cache, permissions of their own) and
 * closing it. Playwright closes the browser when the fork exits, and Chromium exits by itself
 * if its fork dies, because its pipe to the fork closes. A launch that failed (a busy
 * machine) is not kept: the next test tries again.
 */
export function sharedBrowser(): Promise<Browser> {
  shared ??= launchBrowser().then(
    (browser) => {
      browser.on('disconnected', () => (shared = undefined))
      return browser
    },
    (error: unknown) => {
      shared = undefined
      throw error
    },
  )
  return shared
}

/** A page in a fresh context of the shared browser, closed with its context however `use` ends. */
export async function withBrowserPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const context = await (await sharedBrowser()).newContext()
  try {
    const page = await context.newPage()
    return await use(page)
  } finally {
    await context.close()
  }
}
