import { mkdirSync } from 'node:fs'
import { expect } from 'vitest'
import { NON_LOOPBACK_HOST, browserTest } from '../support/browser.js'
import {
  BROWSER_TEST_TIMEOUT_MS,
  POLL,
  msUntilShown,
  textOf,
  useConsoleBrowser,
} from './console-setup.js'

const openConsole = useConsoleBrowser()

browserTest(
  'draws each transition of a CAMARA call live on its ladder as it happens',
  async () => {
    const session = await openConsole()
    const { page } = session
    try {
      const created = await session.createCall()
      expect(created.status).toBe(201)
      const callId = String(created.body.mediaSessionId)
      const row = page.locator(`tr[data-call-id="${callId}"]`)
      await row.locator('button').click()
      const ladder = page.locator('svg.ladder')
      await expect.poll(() => ladder.locator('[data-kind="request"]').count(), POLL).toBe(1)
      await expect.poll(() => ladder.locator('[data-status]').count(), POLL).toBe(1)

      // Each step of the default scenario, one clock move at a time: the ladder follows live,
      // pushed by the change stream (the page never polls).
      for (const [advanceMs, status] of [
        [200, 'InProgress'],
        [800, 'Ringing'],
        [3000, 'Connected'],
      ] as const) {
        const elapsedMs = await msUntilShown(page, `svg.ladder [data-status="${status}"]`, () => {
          session.simulator.control.advanceClock(advanceMs)
        })
        process.stdout.write(`the ladder showed ${status} ${elapsedMs} ms after the change\n`)
        // 200 ms is the promise; CI machines are shared, so the test allows a margin.
        expect(elapsedMs).toBeLessThan(1000)
        await expect.poll(textOf(row.locator('[data-status]')), POLL).toBe(status)
      }
      await expect
        .poll(textOf(page.locator('svg.ladder [data-status="Connected"] .label')), POLL)
        .toBe('200 OK → Connected')
      await expect.poll(textOf(page.locator('[data-call-status]')), POLL).toBe('Connected')

      // Clicking an arrow shows the exact exchange: the response body the app received.
      await page.locator('svg.ladder [data-kind="response"]').click()
      await expect.poll(textOf(page.locator('#detail-title')), POLL).toContain('Response #')
      await expect
        .poll(textOf(page.locator('#detail-body')), POLL)
        .toContain(`"mediaSessionId": "${callId}"`)

      // Hang up through CAMARA: the request, its 204 and the BYE appear.
      const token = await (
        await import('../support/start-simulator.js')
      ).tokenFor(session.simulator)
      const hangUp = await fetch(
        `${session.running.url}/webrtc-call-handling/vwip/sessions/${callId}`,
        {
          method: 'DELETE',
          headers: { authorization: `Bearer ${token}` },
        },
      )
      expect(hangUp.status).toBe(204)
      await page.locator('svg.ladder [data-status="Terminated"]').waitFor({ timeout: POLL.timeout })
      await expect
        .poll(textOf(page.locator('svg.ladder [data-status="Terminated"] .label')), POLL)
        .toBe('BYE → Terminated')
      await expect
        .poll(() => page.locator('svg.ladder [data-kind="request"]').count(), POLL)
        .toBe(2)

      if (process.env.CALLSIM_SCREENSHOT !== undefined) {
        await page.locator('#detail-close').click()
        mkdirSync('docs/images', { recursive: true })
        await page.locator('#ladder').screenshot({ path: 'docs/images/console-ladder.png' })
      }
      expect(session.problems).toEqual([])
    } finally {
      await session.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)

browserTest(
  'highlights a request that breaks the spec in the journal, with its schema path and message',
  async () => {
    const session = await openConsole()
    const { page } = session
    try {
      await page.locator('#tab-journal').click()
      const invalid = await session.createCall({ receiverAddress: 'not-an-address' })
      expect(invalid.status).toBe(400)
      const flagged = page.locator('#journal-body tr.violation')
      await flagged.first().waitFor({ timeout: POLL.timeout })
      await expect.poll(() => flagged.count(), POLL).toBe(1)
      await expect
        .poll(textOf(flagged.locator('.verdict')), POLL)
        .toContain('request body.receiverAddress')
      await expect
        .poll(textOf(flagged.locator('.verdict')), POLL)
        .toContain('does not match the format the spec requires (pattern)')

      // Violations only: the valid call made next is filtered out; the broken one stays.
      expect((await session.createCall()).status).toBe(201)
      await expect.poll(() => page.locator('#journal-body tr[data-seq]').count(), POLL).toBe(2)
      await page.locator('#journal-violations').check()
      await expect.poll(() => page.locator('#journal-body tr[data-seq]').count(), POLL).toBe(1)

      // The entry's button shows the request exactly as it was sent.
      await flagged.locator('button').click()
      await expect
        .poll(textOf(page.locator('#detail-body')), POLL)
        .toContain('"receiverAddress": "not-an-address"')
      expect(session.problems).toEqual([])
    } finally {
      await session.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)

browserTest(
  'moves the virtual clock from its controls: by 1 s, 5 s, a typed duration and to the next step',
  async () => {
    const session = await openConsole()
    const { page, simulator } = session
    try {
      const start = simulator.clock.now()
      const clockText = page.locator('#clock-now')
      await page.locator('[data-advance="1s"]').click()
      await expect.poll(textOf(clockText), POLL).toContain('00:00:01.000')
      await page.locator('[data-advance="5s"]').click()
      await expect.poll(textOf(clockText), POLL).toContain('00:00:06.000')
      await page.locator('#clock-duration').fill('250ms')
      await page.locator('#clock-duration').press('Enter')
      await expect.poll(textOf(clockText), POLL).toContain('00:00:06.250')
      expect(simulator.clock.now() - start).toBe(6250)

      // A new call schedules its first step 200 ms ahead; "to the next step" lands exactly there.
      expect((await session.createCall()).status).toBe(201)
      await expect.poll(textOf(clockText), POLL).toContain('next step at 00:00:06.450')
      await page.locator('#clock-next').click()
      await expect.poll(textOf(clockText), POLL).toContain('2025-01-01 00:00:06.450')
      expect(simulator.clock.now() - start).toBe(6450)
      expect(session.problems).toEqual([])
    } finally {
      await session.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)

browserTest(
  'asks for the admin token under --admin-token, keeps it for the tab and then works',
  async () => {
    const session = await openConsole({ adminToken: 's3cret-admin' }, { waitUntilLive: false })
    const { page } = session
    try {
      await page.locator('#token-form').waitFor({ state: 'visible', timeout: POLL.timeout })
      await expect
        .poll(() => page.locator('#live').getAttribute('data-state'), POLL)
        .toBe('unauthenticated')
      await page.locator('#admin-token').fill('s3cret-admin')
      await page.locator('#admin-token').press('Enter')
      await page.locator('#live[data-state="live"]').waitFor({ timeout: POLL.timeout })
      expect(await page.evaluate('sessionStorage.getItem("callsim.adminToken")')).toBe(
        's3cret-admin',
      )

      await page.locator('[data-advance="5s"]').click()
      await expect.poll(textOf(page.locator('#clock-now')), POLL).toContain('00:00:05.000')
      expect((await session.createCall()).status).toBe(201)
      await expect.poll(() => page.locator('#calls-body tr[data-call-id]').count(), POLL).toBe(1)
    } finally {
      await session.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)

browserTest(
  'opened under a host name callsim does not answer to, says why and goes live with --allowed-host',
  async () => {
    const refused = await openConsole({}, { waitUntilLive: false, hostName: NON_LOOPBACK_HOST })
    try {
      const { page } = refused
      await expect
        .poll(() => page.locator('#live').getAttribute('data-state'), POLL)
        .toBe('refused')
      expect(await page.locator('#live').textContent()).toBe('refused by callsim')
      await expect
        .poll(textOf(page.locator('#status')), POLL)
        .toContain(`start callsim with --allowed-host ${NON_LOOPBACK_HOST}`)
    } finally {
      await refused.close()
    }

    const allowed = await openConsole(
      { allowedHosts: [NON_LOOPBACK_HOST] },
      { hostName: NON_LOOPBACK_HOST },
    )
    try {
      expect(await allowed.page.locator('#live').textContent()).toBe('live')
      expect((await allowed.createCall()).status).toBe(201)
      await expect
        .poll(() => allowed.page.locator('#calls-body tr[data-call-id]').count(), POLL)
        .toBe(1)
      expect(allowed.problems).toEqual([])
    } finally {
      await allowed.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)

browserTest(
  'activates a scenario for one subscriber and offers an incoming call from the controls',
  async () => {
    const session = await openConsole()
    const { page, simulator } = session
    try {
      await page.locator('#scenario-id').selectOption('busy-callee')
      await page.locator('#scenario-subscriber').fill('tel:+15550001')
      await page.locator('#scenario-form button[type="submit"]').click()
      await expect
        .poll(textOf(page.locator('#activations')), POLL)
        .toContain('tel:+15550001: busy-callee')
      expect(simulator.control.scenarioActivations().subscribers.get('tel:+15550001')).toBe(
        'busy-callee',
      )
      await page.locator('#scenario-deactivate').click()
      await expect.poll(textOf(page.locator('#activations')), POLL).toBe('Active: everyone: none')

      await page.locator('#incoming-form button[type="submit"]').click()
      const incoming = page.locator('#calls-body tr[data-call-id]')
      await expect.poll(() => incoming.count(), POLL).toBe(1)
      await expect.poll(textOf(incoming.locator('td').nth(5)), POLL).toBe('admin')
      await incoming.locator('button').click()
      await expect
        .poll(textOf(page.locator('svg.ladder [data-status="Initial"] .label')), POLL)
        .toBe('INVITE → Initial')
      expect(session.problems).toEqual([])
    } finally {
      await session.close()
    }
  },
  BROWSER_TEST_TIMEOUT_MS,
)
