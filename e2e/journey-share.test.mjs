// A journey shared: the path story dropped, the lost 1472-byte ping selected
// (its tag and its 2 driver bytes both outlined), shared headers only and in
// full, its Markdown report copied and downloaded, and the link opened in a
// fresh page that shows the same sightings side by side. Expected values are
// the core's (crate/src/explain/ticket.rs, crate/tests/share_links.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, screenshot, repoRoot, useApp, assertClean, dropFiles } from './lib.mjs';

const story = path.join(repoRoot, 'static', 'path-story');
const app = useApp();

/** What the second frame of a side-by-side shows outlined. */
async function outlined(scope) {
  const frame = scope.locator('[data-testid=journey-frame]').nth(1);
  await frame.locator('[data-testid=anatomy]').waitFor({ timeout: 10_000 });
  const note = frame.locator('[data-testid=highlight]');
  return {
    bytes: await frame.locator('.hex .b.marked').allTextContents(),
    len: Number(await note.getAttribute('data-len')),
    runs: Number(await note.getAttribute('data-runs')),
    appeared: await frame.locator('[data-testid=journey-appeared]').textContent(),
  };
}

test('share a lost journey: every appeared run outlined, the link opens its sightings in a fresh page', async () => {
  const { page, context, log } = await openPage(app.browser, app.server.origin);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.origin });
  let link;
  let markdown;
  try {
    await page.goto(app.server.url, { waitUntil: 'load' });
    await page.locator('[data-testid=drop-zone]').waitFor({ state: 'visible', timeout: 15_000 });
    await dropFiles(page, [path.join(story, 'laptop.pcap'), path.join(story, 'controller.pcapng')]);
    await page.locator('[data-testid=path-status][data-complete=true]').waitFor({ timeout: 20_000 });
    await page.locator('[data-testid=path-filter-lost]').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=journey-row]').length === 3);
    await page.locator('[data-testid=journey-row]').first().click();
    const detail = page.locator('[data-testid=journey-detail]');
    await detail.waitFor({ timeout: 10_000 });

    // Both runs that appeared at eth1 are outlined: the VLAN 100 tag's span
    // (TCI 00 64, inner EtherType 08 00) and the driver's 25 7f.
    const o = await outlined(detail);
    assert.match(o.appeared, /^6 bytes appeared since the point before/);
    assert.equal(o.runs, 2);
    assert.equal(o.len, 6);
    assert.equal(o.bytes.length, o.len, `marked bytes: ${o.bytes}`);
    assert.deepEqual(o.bytes, ['00', '64', '08', '00', '25', '7f']);

    // Share it.
    const share = detail.locator('[data-testid=journey-share-button]');
    await page.waitForFunction(() => !document.querySelector('[data-testid=journey-share-button]').disabled);
    await share.click();
    const dialog = page.locator('[data-testid=share-dialog][data-kind=journey]');
    await dialog.waitFor();
    assert.match(await dialog.locator('h2').textContent(), /^Share packet #16$/);
    assert.equal(await dialog.locator('[data-testid=share-headers-only]').isChecked(), true);
    assert.equal(await dialog.locator('[data-testid=share-zeroed]').textContent(), '2,944 bytes replaced by zeros');
    await dialog.locator('[data-testid=share-note]').fill('ping -s 1472 never reaches the router');
    await page.waitForFunction(() => document.querySelector('[data-testid=share-link]').value.length > 0);
    link = await dialog.locator('[data-testid=share-link]').inputValue();
    assert.ok(link.startsWith(`${app.server.url}#share=v2.`), link);
    const headersLen = Number((await dialog.locator('[data-testid=share-link-length]').textContent()).replace(/\D/g, ''));
    assert.equal(headersLen, link.length);
    markdown = await dialog.locator('[data-testid=share-markdown]').inputValue();
    assert.ok(markdown.startsWith('## Packet #16: seen at 2 points, lost after `controller.pcapng · eth1`\n\n> ping -s 1472 never reaches the router\n'), markdown);
    assert.ok(markdown.includes('| `laptop.pcap · 0` | 16 | +0 µs | 1,514 | 1,500 | 0 |\n'), markdown);
    assert.ok(markdown.includes('| `controller.pcapng · eth1` | 29 | +308 µs | 1,520 | 1,500 | 2 |\n'), markdown);
    assert.ok(markdown.includes('| `controller.pcapng · qr-5d0a1c2e-7f` | never seen | | | | |\n'), markdown);
    assert.ok(markdown.includes('- laptop.pcap · 0 → controller.pcapng · eth1: +2 unexplained bytes 25 7f\n'), markdown);
    assert.ok(markdown.includes('### 2. `controller.pcapng · eth1`, frame 29\n'), markdown);
    await dialog.locator('[data-testid=copy-markdown]').click();
    await page.locator('[data-testid=copy-status]', { hasText: 'Markdown report copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.locator('[data-testid=download-markdown]').click(),
    ]);
    assert.equal(download.suggestedFilename(), 'packet-16.md');
    assert.equal(fs.readFileSync(await download.path(), 'utf8'), markdown);
    await dialog.locator('[data-testid=share-copy-link]').click();
    await page.locator('[data-testid=copy-status]', { hasText: 'Link copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);

    // Full bytes: the payload travels too, so the link is longer.
    await dialog.locator('[data-testid=share-full]').check();
    assert.equal(await dialog.locator('[data-testid=share-zeroed]').textContent(), 'kept as captured');
    await page.waitForFunction((l) => document.querySelector('[data-testid=share-link]').value !== l, link);
    const full = await dialog.locator('[data-testid=share-link]').inputValue();
    assert.ok(full.length > link.length, `${full.length} > ${link.length}`);
    console.log(`journey link lengths: headers only ${link.length}, full bytes ${full.length} characters (with ${app.server.url})`);
    await screenshot(page, 'journey-share-dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assertClean(log);
  } finally {
    await context.close();
  }

  // A fresh page: the shared journey, its two sightings side by side.
  const reader = await openPage(app.browser, app.server.origin);
  try {
    await reader.page.goto(link, { waitUntil: 'load' });
    const view = reader.page.locator('[data-testid=shared-journey]');
    await view.waitFor({ timeout: 15_000 });
    const banner = view.locator('[data-testid=shared-banner]');
    assert.equal(await banner.getAttribute('data-headers-only'), 'true');
    assert.match(await banner.textContent(), /Shared diagnosis: packet #16, seen at 2 points, lost after controller\.pcapng · eth1.*headers only/);
    assert.equal(await view.locator('[data-testid=shared-note]').textContent(), 'ping -s 1472 never reaches the router');
    const titles = await view.locator('[data-testid=journey-frame] > h3').allTextContents();
    assert.deepEqual(titles, ['laptop.pcap · 0 · frame 16', 'controller.pcapng · eth1 · frame 29']);
    assert.equal(await view.locator('[data-testid=anatomy][data-frame="16"]').count(), 1);
    await view.locator('[data-testid=anatomy][data-frame="29"]').waitFor();
    const changes = (await view.locator('[data-testid=journey-change]').allTextContents()).join('\n');
    assert.match(changes, /\+4 802\.1Q tag \(VLAN 100\)/);
    assert.match(changes, /\+2 unexplained bytes 25 7f/);
    assert.equal(await view.locator('[data-testid=journey-loss]').textContent(),
      'Lost after controller.pcapng · eth1: never seen at controller.pcapng · qr-5d0a1c2e-7f.');
    assert.match((await view.locator('[data-testid=shared-finding]').allTextContents()).join('\n'), /^3 packets reach `controller\.pcapng · eth1`/);
    const o = await outlined(view);
    assert.deepEqual([o.runs, o.len, o.bytes], [2, 6, ['00', '64', '08', '00', '25', '7f']]);
    const at29 = view.locator('[data-testid=anatomy][data-frame="29"]');
    assert.equal(await at29.locator('[data-testid=mtu-verdict]').getAttribute('data-dropped'), 'true');
    assert.equal(await at29.locator('[data-testid=ledger]').textContent(),
      '1,520 captured = 14 Ethernet + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length) + 2 unexplained');
    // The reader's own MTU: 1502 lets the 1,502-byte L2 payload through.
    const mtu = view.locator('[data-testid=mtu]');
    await mtu.fill('1502');
    await mtu.press('Enter');
    await view.locator('[data-testid=anatomy][data-frame="29"] [data-testid=mtu-verdict][data-dropped=false]').waitFor();
    await screenshot(reader.page, 'shared-journey');
    await view.locator('[data-testid=shared-close]').click();
    await view.waitFor({ state: 'detached' });
    assertClean(reader.log);
    assert.ok(!app.server.requests.some((r) => r.includes('share')), 'the fragment never reaches the server');
  } finally {
    await reader.context.close();
  }
});

test('a damaged journey link shows the core sentence with its offset', async () => {
  const { page, context, log } = await openPage(app.browser, app.server.origin);
  try {
    // "FL" 02 and nothing else, deflated: cut before the flags (byte 3).
    await page.goto(`${app.server.url}#share=v2.c_NhAgA`, { waitUntil: 'load' });
    const err = page.locator('[data-testid=share-error]');
    await err.waitFor({ timeout: 15_000 });
    assert.match(await err.textContent(), /cut short: it ends before the flags \(byte 3 of its decoded data\)/);
    assertClean(log);
  } finally {
    await context.close();
  }
});
