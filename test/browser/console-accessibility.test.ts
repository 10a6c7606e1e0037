import { createRequire } from 'node:module'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { browserTest } from '../support/browser.js'
import {
  BROWSER_TEST_TIMEOUT_MS,
  POLL,
  textOf,
  useConsoleBrowser,
  waitUntilSettled,
} from './console-setup.js'

const openConsole = useConsoleBrowser()

const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

interface AxeResult {
  readonly violations: readonly {
    readonly id: string
    readonly impact: string | null
    readonly nodes: readonly { readonly target: readonly string[] }[]
  }[]
}

/**
 * axe-core's WCAG 2 A and AA rules (labels, names, contrast, ...) over the page once it has
 * settled: a page redrawn while axe walks it would give answers about nodes that are gone.
 */
async function axeViolations(page: Page): Promise<string[]> {
  await waitUntilSettled(page)
  if (!(await page.evaluate("typeof window.axe === 'object'")))
    await page.addScriptTag({ path: AXE_SCRIPT })
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })",
  )) as AxeResult
  return result.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact ?? 'n/a'}): ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
  )
}

browserTest(
  'passes axe-core with a call on its ladder and in the journal view: labels, names, contrast',
  async () => {
    const session = await openConsole({}, { bypassCSP: true })
    const { page } = session
    try {
      const created = await session.createCall()
      expect(created.status).toBe(201)
      expect((await session.createCall({ receiverAddress: 'broken' })).status).toBe(400)
      session.simulator.control.advanceClock(5000)
      await page.locator(`tr[data-call-id="${String(created.body.mediaSessionId)}"] button`).click()
      await page.locator('svg.ladder [data-status="Connected"]').waitFor()
      expect(await axeViolations(page)).toEqual([])

      await page.locator('#tab-journal').click()
      await page.locator('#journal-body tr.violation').waitFor()
      expect(await axeViolations(page)).toEqual([])
      expect(session.problems).toEqual([])
    } finally {
      await session.close()
    }
  },
  // Two axe-core passes over the whole page, each a few seconds on a loaded machine.
  2 * BROWSER_TEST_TIMEOUT_MS,
)

browserTest(
  'can be driven from the keyboard: tabs, controls and every arrow of the ladder take focus',
  async () => {
    const session = await openConsole()
    const { page } = session
    try {
      const created = await session.createCall()
      const callButton = page.locator(
        `tr[data-call-id="${String(created.body.mediaSessionId)}"] button`,
      )
      await callButton.waitFor()
      await callButton.focus()
      await page.keyboard.press('Enter')
      // The whole ladder of the new call (its request, response and transition to Initial), and
      // a page that has stopped redrawing it: a ladder redrawn while the keys walk it takes the
      // focus away mid-walk (seen under full-suite load as request, response, request).
      await page.locator('svg.ladder [data-kind="transition"][data-status="Initial"]').waitFor()
      await waitUntilSettled(page)

      // Tab walks from the call's button into the ladder's arrows; Enter opens the one in focus.
      await callButton.focus()
      const focusedKinds: string[] = []
      for (let press = 0; press < 40 && focusedKinds.length < 3; press += 1) {
        await page.keyboard.press('Tab')
        const kind = await page.evaluate(
          "document.activeElement && document.activeElement.getAttribute('data-kind')",
        )
        if (typeof kind === 'string') focusedKinds.push(kind)
      }
      expect(focusedKinds).toEqual(['request', 'response', 'transition'])
      await page.keyboard.press('Enter')
      await expect.poll(textOf(page.locator('#detail-title')), POLL).toContain('→ Initial')

      // The views are a tab list: the arrow keys move between them.
      await page.locator('#tab-calls').focus()
      await page.keyboard.press('ArrowRight')
      await expect
        .poll(() => page.locator('#tab-journal').getAttribute('aria-selected'), POLL)
        .toBe('true')
      expect(await page.locator('#journal-panel').isHidden()).toBe(false)
    } finally {
      await session.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)
