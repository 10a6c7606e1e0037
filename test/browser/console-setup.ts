import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll } from 'vitest'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../../src/app/index.js'
import { launchBrowser } from '../support/browser.js'
import { ALICE, BOB, startSimulator, tokenFor } from '../support/start-simulator.js'

export const CALL_HANDLING = '/webrtc-call-handling/vwip'

/** How long `expect.poll` waits for the page: generous, as CI machines are shared. */
export const POLL = { timeout: 3000, interval: 20 }

/**
 * How long after `change` ran the page showed `selector`, measured in the page by a
 * MutationObserver against the same system clock, so the test's own polling does not count.
 */
export async function msUntilShown(
  page: Page,
  selector: string,
  change: () => void,
): Promise<number> {
  await page.evaluate(
    `window.__shown = new Promise((resolve) => {
      const check = () => { if (document.querySelector(${JSON.stringify(selector)})) { observer.disconnect(); resolve(Date.now()) } }
      const observer = new MutationObserver(check)
      observer.observe(document.body, { subtree: true, childList: true, attributes: true })
      check()
    }); undefined`,
  )
  const changedAt = Date.now()
  change()
  return ((await page.evaluate('window.__shown')) as number) - changedAt
}

/** Reads a locator's text for `expect.poll` (vitest has no Playwright matchers). */
export const textOf = (locator: Locator) => () => locator.textContent()

// One Chromium for the file: starting it takes about a second; every test gets its own page.
let browser: Promise<Browser> | undefined
afterAll(async () => {
  if (browser) await (await browser).close()
})

export interface ConsoleSession {
  readonly simulator: Simulator
  readonly running: RunningSimulator
  readonly page: Page
  /** Browser errors and failed requests the test did not expect. */
  readonly problems: string[]
  /** Places a call through the CAMARA API, as the integrator's app would. */
  createCall(
    body?: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }>
  close(): Promise<void>
}

/**
 * A listening simulator (seed 42, virtual clock, strict) and a headless Chromium page with the
 * console open on it, its change stream connected.
 */
export async function openConsole(
  options: Partial<SimulatorOptions> = {},
  { waitUntilLive = true, bypassCSP = false } = {},
): Promise<ConsoleSession> {
  const simulator = startSimulator({ registration: 'optional', ...options })
  const running = await simulator.listen()
  // A launch that failed (a busy machine) is not kept: the next test tries again.
  browser ??= launchBrowser().catch((error: unknown) => {
    browser = undefined
    throw error
  })
  const context = await (
    await browser
  ).newContext({
    viewport: { width: 1200, height: 900 },
    // Only the accessibility test injects a script (axe-core), which the page's policy forbids.
    bypassCSP,
  })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().includes('401')) problems.push(message.text())
  })
  await page.goto(`${running.url}/_callsim/ui/`)
  if (waitUntilLive) await page.waitForSelector('#live[data-state="live"]')
  const token = await tokenFor(simulator, ALICE)
  return {
    simulator,
    running,
    page,
    problems,
    createCall: async (body = {}) => {
      const response = await fetch(`${running.url}${CALL_HANDLING}/sessions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          registrationId: 'any-registration',
          'x-correlator': 'console-test',
        },
        body: JSON.stringify({
          originatorAddress: ALICE,
          receiverAddress: BOB,
          offer: { sdp: 'v=0\r\n' },
          ...body,
        }),
      })
      return { status: response.status, body: (await response.json()) as Record<string, unknown> }
    },
    close: async () => {
      await context.close()
      await running.close()
    },
  }
}
