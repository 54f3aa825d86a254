// Smoke test: the release build loads, renders, and stays offline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useApp } from './lib.mjs';

const app = useApp();

test('page loads, shows the drop zone, makes no foreign requests', async () => {
  const { page, context, log } = await openPage(app.browser, app.server.origin);
  try {
    await page.goto(app.server.url, { waitUntil: 'load' });

    const dropZone = page.locator('[data-testid=drop-zone]');
    await dropZone.waitFor({ state: 'visible', timeout: 15_000 });
    assert.equal(await page.title(), 'Framelens');
    assert.equal(await page.locator('h1').textContent(), 'Framelens');
    assert.equal(await dropZone.locator('input[data-testid=file-input]').getAttribute('type'), 'file');

    // Once rendered, the app must not fetch anything else.
    await page.waitForLoadState('networkidle');
    const settled = log.requests.length;
    await page.waitForTimeout(500);
    assert.deepEqual(log.requests.slice(settled), [], 'requests after the app rendered');

    await screenshot(page, 'smoke');

    assert.deepEqual(log.foreignRequests, [], 'requests to other origins');
    assert.deepEqual(log.pageErrors, [], 'uncaught page errors');
    assert.deepEqual(log.consoleErrors, [], 'console errors');
  } finally {
    await context.close();
  }
});
