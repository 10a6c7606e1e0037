import type { Browser, Locator, Page } from 'playwright-core'
import type { RunningSimulator, Simulator, SimulatorOptions } from '../../src/app/index.js'
import { sharedBrowser } from '../support/browser.js'
import { ALICE, BOB, startSimulator, tokenFor } from '../support/start-simulator.js'

const CALL_HANDLING = '/webrtc-call-handling/vwip'

/**
 * How long `expect.poll` waits for the page. Generous: the full suite shares two cores with
 * other forks, and these bounds only catch a page that never gets there; how fast the page
 * follows a change is measured separately (`msUntilShown`).
 */
export const POLL = { timeout: 10_000, interval: 25 }

/** Per test: a browser test opens a page and a simulator, so it gets more than vitest's 20 s. */
export const BROWSER_TEST_TIMEOUT_MS = 60_000

/** What one Playwright action or wait may take before it fails, naming what it waited for. */
const ACTION_TIMEOUT_MS = 15_000

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

interface ConsoleSession {
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
 * Resolves once the console is still: no view waiting for the control API (the page marks a
 * region that is being refreshed with aria-busy) and no change to the document for `quietMs`.
 * Checks that read the whole page at once (axe-core) run on this state, not on a page that
 * the change stream is redrawing under them.
 */
export async function waitUntilSettled(page: Page, quietMs = 300): Promise<void> {
  await page.evaluate(
    `new Promise((resolve, reject) => {
      let quiet
      const settle = () => {
        clearTimeout(quiet)
        quiet = setTimeout(() => {
          if (document.querySelector('[aria-busy="true"]')) return settle()
          observer.disconnect()
          clearTimeout(deadline)
          resolve()
        }, ${quietMs})
      }
      const deadline = setTimeout(() => {
        observer.disconnect()
        clearTimeout(quiet)
        reject(new Error('the console did not settle within ${ACTION_TIMEOUT_MS} ms'))
      }, ${ACTION_TIMEOUT_MS})
      const observer = new MutationObserver(settle)
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true })
      settle()
    })`,
  )
}

/** Opens the console on a fresh simulator, in a fresh context of the fork's Chromium. */
export type OpenConsole = (
  options?: Partial<SimulatorOptions>,
  flags?: { waitUntilLive?: boolean; bypassCSP?: boolean; hostName?: string },
) => Promise<ConsoleSession>

/**
 * Opens consoles in the fork's shared Chromium (sharedBrowser), each in a context of its own
 * that the session's close() closes. Call it at the file's top level.
 */
export function useConsoleBrowser(): OpenConsole {
  return async (options = {}, { waitUntilLive = true, bypassCSP = false, hostName } = {}) =>
    openConsole(await sharedBrowser(), options, waitUntilLive, bypassCSP, hostName)
}

/**
 * A listening simulator (seed 42, virtual clock, strict) and a headless Chromium page with the
 * console open on it, its change stream connected.
 */
async function openConsole(
  browser: Browser,
  options: Partial<SimulatorOptions>,
  waitUntilLive: boolean,
  bypassCSP: boolean,
  hostName?: string,
): Promise<ConsoleSession> {
  const simulator = startSimulator({ registration: 'optional', ...options })
  const running = await simulator.listen()
  const context = await browser
    .newContext({
      viewport: { width: 1200, height: 900 },
      // Only the accessibility test injects a script (axe-core), which the page's policy forbids.
      bypassCSP,
    })
    .catch(async (error: unknown) => {
      await running.close()
      throw error
    })
  const close = async (): Promise<void> => {
    await context.close()
    await running.close()
  }
  context.setDefaultTimeout(ACTION_TIMEOUT_MS)
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS)
  const problems: string[] = []
  let page: Page
  try {
    page = await context.newPage()
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().includes('401'))
        problems.push(message.text())
    })
    const pageUrl = new URL('/_callsim/ui/', running.url)
    if (hostName !== undefined) pageUrl.hostname = hostName
    await page.goto(pageUrl.href)
    if (waitUntilLive) await page.waitForSelector('#live[data-state="live"]')
  } catch (error) {
    await close()
    throw error
  }
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
    close,
  }
}
