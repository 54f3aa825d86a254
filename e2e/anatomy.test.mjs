// The compact anatomy: long payload runs folded into one row of the hex map.
// Expected values were checked with `framelens --json FILE`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage, screenshot, repoRoot, useApp } from './lib.mjs';

const examples = path.join(repoRoot, 'static', 'examples');
const app = useApp();

async function open(hash = '') {
  const o = await openPage(app.browser, app.server.origin);
  await o.page.goto(app.server.url + hash, { waitUntil: 'load' });
  await o.page.locator('[data-testid=drop-zone]').waitFor({ state: 'visible', timeout: 15_000 });
  return o;
}

async function example(page, name) {
  await page.locator('[data-testid=examples]').selectOption(name);
  await page.locator(`[data-testid=summary][data-complete=true]`).waitFor({ timeout: 15_000 });
}

async function select(page, frame) {
  await page.evaluate((n) => { location.hash = `#frame=${n}`; }, frame);
  const anatomy = page.locator(`[data-testid=anatomy][data-frame="${frame}"]`);
  await anatomy.waitFor({ timeout: 10_000 });
  return anatomy;
}

function assertClean(log) {
  assert.deepEqual(log.foreignRequests, [], 'requests to other origins');
  assert.deepEqual(log.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(log.consoleErrors, [], 'console errors');
}

test('compact anatomy: a 1,520-byte frame shows its fields and trailer on the first screen, and opens', async () => {
  const { page, context, log } = await open();
  try {
    await example(page, 'two-bytes.pcap');
    const anatomy = await select(page, 15);
    const fold = anatomy.locator('[data-testid=hex-fold]');
    assert.equal(await fold.count(), 1);
    assert.equal(await fold.getAttribute('data-fold'), '48');
    assert.equal(await fold.getAttribute('data-len'), '1456');
    assert.match(await fold.textContent(), /… 1,456 payload bytes/);
    const bytes = anatomy.locator('.hex .b');
    assert.equal(await bytes.count(), 1520 - 1456);
    // Scrolled to the anatomy, one screen (700 px) holds the field list and the
    // two stray bytes 25 7f at 1518–1519 (before: 95 hex rows pushed them down).
    await anatomy.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const height = page.viewportSize().height;
    const top = (await anatomy.boundingBox()).y;
    const fields = await anatomy.locator('.fields').boundingBox();
    assert.ok(fields.y - top < height - 100, `field list starts ${fields.y - top} px below the anatomy's top`);
    const tail = await bytes.evaluateAll((els) =>
      els.slice(-2).map((e) => ({ text: e.textContent, bottom: e.getBoundingClientRect().bottom, extra: e.classList.contains('g-extra') })),
    );
    assert.deepEqual(tail.map((b) => [b.text, b.extra]), [['25', true], ['7f', true]]);
    for (const b of tail) assert.ok(b.bottom - top <= height, `trailer byte ${b.text} at ${b.bottom - top} px`);
    await screenshot(page, 'compact-anatomy');
    // One click shows every byte, in order, and no fold stays.
    await fold.click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=anatomy] .hex .b').length === 1520);
    assert.equal(await anatomy.locator('[data-testid=hex-fold]').count(), 0);
    const offsets = await anatomy.locator('.hex .off').allTextContents();
    assert.deepEqual(offsets, Array.from({ length: 95 }, (_, i) => (i * 16).toString(16).padStart(4, '0')));
    // Pointing at a byte of the opened run names the payload.
    await bytes.nth(1000).hover();
    assert.match(await page.locator('.hover-line').textContent(), /^payload · Data/);
    // It stays open on the way back to the frame.
    await select(page, 14);
    await select(page, 15);
    assert.equal(await anatomy.locator('.hex .b').count(), 1520);
    assertClean(log);
  } finally {
    await context.close();
  }
});
