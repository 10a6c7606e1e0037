import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test } from 'vitest'
import { browserSkipReason, browserTest, withBrowserPage } from '../support/browser.js'

test('lets only a machine without CI skip the browser tests when Chromium is missing', () => {
  expect(browserSkipReason('/usr/bin/chromium', {})).toBeUndefined()
  expect(browserSkipReason('/usr/bin/chromium', { CI: 'true' })).toBeUndefined()
  expect(browserSkipReason(undefined, { CI: 'true' })).toBeUndefined()
  expect(browserSkipReason(undefined, { CI: '1' })).toBeUndefined()
  expect(browserSkipReason(undefined, {})).toMatch(/no Chromium found .*apt-get install/)
  expect(browserSkipReason(undefined, { CI: 'false' })).toMatch(/no Chromium found/)
})

browserTest('runs a page served over HTTP with its scripts, as a visitor would', async () => {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('<!doctype html><title>t</title><script>document.title = String(6 * 7)</script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const title = await withBrowserPage(async (page) => {
      await page.goto(`http://127.0.0.1:${port}/`)
      return page.title()
    })
    expect(title).toBe('42')
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
})
