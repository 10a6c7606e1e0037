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

/** Starts headless Chromium; throws with the install hint when there is none. */
export async function launchBrowser(): Promise<Browser> {
  if (chromiumPath === undefined)
    throw new Error(`Failed to start the browser for a browser test: ${INSTALL_HINT}`)
  // --no-sandbox: CI runs as root, where Chromium refuses its sandbox; the pages are our own.
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] })
}

/** A page in a fresh browser, closed (with the browser) however `use` ends. */
export async function withBrowserPage<T>(use: (page: Page) => Promise<T>): Promise<T> {
  const browser = await launchBrowser()
  try {
    const page = await browser.newPage()
    return await use(page)
  } finally {
    await browser.close()
  }
}
