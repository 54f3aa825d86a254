// Several files at once: the path story's captures dropped together (and one
// added later) give the path view; a capture dropped with its kernel log gives
// the log panel and the anatomy's "the kernel said" line. Expected values
// are the core's (`framelens path static/path-story/*`, crate/tests/path.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, screenshot, repoRoot, useApp, assertClean, dropFiles, openApp } from './lib.mjs';

const story = path.join(repoRoot, 'static', 'path-story');
const examples = path.join(repoRoot, 'static', 'examples');
const app = useApp();

const open = () => openApp(app);

async function pathDone(page) {
  await page.locator('[data-testid=path-status][data-complete=true]').waitFor({ timeout: 20_000 });
}

test('path view: the story dropped as two files shows 3 packets lost before the router port', async () => {
  const { page, context, log } = await open();
  try {
    await dropFiles(page, [path.join(story, 'laptop.pcap'), path.join(story, 'controller.pcapng')]);
    const view = page.locator('[data-testid=path-view]');
    await view.waitFor({ timeout: 20_000 });
    await pathDone(page);
    // Three points in path order: laptop, the controller's NIC, the router port.
    const points = await view.locator('[data-testid=path-point]').allTextContents();
    assert.equal(points.length, 3);
    assert.match(points[0], /laptop\.pcap/);
    assert.match(points[1], /eth1/);
    assert.match(points[2], /qr-5d0a1c2e-7f/);
    assert.ok((await view.locator('[data-testid=journey-row]').count()) > 3);
    const finding = await view.locator('[data-testid=path-finding]').first().textContent();
    assert.match(finding, /^3 packets reach `controller\.pcapng · eth1` and never reach `controller\.pcapng · qr-5d0a1c2e-7f`/);
    assert.match(finding, /carries 2 unexplained bytes \(25 7f\)/);
    // The lost filter: exactly the three, each marked at the router port.
    await page.locator('[data-testid=path-filter-lost]').click();
    const rows = view.locator('[data-testid=journey-row]');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=journey-row]').length === 3);
    const lost = await view.locator('[data-testid=journey-lost]').evaluateAll((els) => els.map((e) => e.dataset.point));
    assert.deepEqual(lost, ['2', '2', '2']);
    // The changed-size filter lists more than the lost ones.
    await page.locator('[data-testid=path-filter-changed]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=journey-row]').length > 3);
    await page.locator('[data-testid=path-filter-lost]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=journey-row]').length === 3);
    // A lost packet's frames side by side; what appeared (the VLAN 100 tag
    // first, then the 2 driver bytes) is named, the tag outlined.
    await rows.first().click();
    const detail = page.locator('[data-testid=journey-detail]');
    await detail.waitFor({ timeout: 10_000 });
    await detail.locator('[data-testid=journey-frame]').nth(1).locator('[data-testid=anatomy]').waitFor({ timeout: 10_000 });
    assert.equal(await detail.locator('[data-testid=journey-frame]').count(), 2);
    assert.match(await detail.locator('[data-testid=journey-loss]').textContent(), /never seen at controller\.pcapng · qr-5d0a1c2e-7f/);
    const changes = (await detail.locator('[data-testid=journey-change]').allTextContents()).join('\n');
    assert.match(changes, /\+2 unexplained bytes 25 7f/);
    assert.match(await detail.locator('[data-testid=journey-appeared]').textContent(), /^6 bytes appeared since the point before/);
    const marked = await detail.locator('[data-testid=journey-frame]').nth(1).locator('.hex .b.marked').allTextContents();
    assert.ok(marked.includes('64'), `the VLAN 100 tag outlined: ${marked}`);
    await screenshot(page, 'path-story');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('path view: a capture added to the one open starts the path view, one at a time', async () => {
  const { page, context, log } = await open();
  try {
    await dropFiles(page, [path.join(story, 'laptop.pcap')]);
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=path-view]').count(), 0, 'one point has no path');
    await dropFiles(page, [path.join(story, 'controller.pcapng')]);
    await pathDone(page);
    assert.equal(await page.locator('[data-testid=capture-tab]').count(), 2);
    assert.equal(await page.locator('[data-testid=path-point]').count(), 3);
    await page.locator('[data-testid=path-filter-lost]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=journey-lost]').length === 3);
    // The frame list follows the tab chosen.
    await page.locator('[data-testid=capture-tab]').nth(1).click();
    await page.waitForFunction(() => document.querySelector('[data-testid=capture-tab][aria-pressed=true]')?.textContent === 'controller.pcapng');
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('kernel log: dropped with its capture, its lines link to frames and the anatomy quotes them', async () => {
  const { page, context, log } = await open();
  try {
    await dropFiles(page, [path.join(examples, 'two-bytes.pcap'), path.join(examples, 'two-bytes-kern.log')]);
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    const panel = page.locator('[data-testid=log-panel]');
    await panel.waitFor({ timeout: 15_000 });
    const lines = panel.locator('[data-testid=log-line]');
    const matched = await lines.evaluateAll((els) => els.filter((e) => e.dataset.frames).map((e) => ({ line: e.dataset.line, frames: e.dataset.frames })));
    assert.ok(matched.length >= 2, `the story's 2 drop lines matched: ${JSON.stringify(matched)}`);
    assert.equal(await page.locator('[data-testid=path-view]').count(), 0, 'a log is not a capture point');
    const first = matched.find((m) => m.frames);
    const frame = first.frames.split(',')[0];
    await panel.locator(`[data-testid=log-line][data-line="${first.line}"] [data-testid=log-frames]`).click();
    await page.locator(`[data-testid=anatomy][data-frame="${frame}"]`).waitFor({ timeout: 10_000 });
    const said = await page.locator('[data-testid=frame-log]').textContent();
    assert.match(said, /^The kernel said about this frame: .*dropped over-mtu packet: 1502 > 1500/);
    assert.match(await page.evaluate(() => location.hash), new RegExp(`frame=${frame}&`));
    // The summary carries the kernel_log finding.
    const findings = (await page.locator('[data-testid=finding]').allTextContents()).join('\n');
    assert.match(findings, /dropped over-mtu packet/);
    await screenshot(page, 'kernel-log');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('kernel log: dropped after the capture, it rescans the capture with the log', async () => {
  const { page, context, log } = await open();
  try {
    await dropFiles(page, [path.join(examples, 'two-bytes.pcap')]);
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    await dropFiles(page, [path.join(examples, 'two-bytes-kern.log')]);
    await page.locator('[data-testid=log-panel] [data-testid=log-line]').first().waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=capture-tab]').count(), 0, 'still one capture');
    assertClean(log);
  } finally {
    await context.close();
  }
});
