// The compact anatomy (long payload runs folded into one row of the hex map)
// and the what-if panel's MACsec choice, with the datacenter example.
// Expected values were checked with `framelens --json FILE`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage, screenshot, repoRoot, useApp, assertClean, openApp } from './lib.mjs';

const examples = path.join(repoRoot, 'static', 'examples');
const app = useApp();

const open = (hash = '') => openApp(app, { hash });

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

test('what if: wrapping an untagged 1500-byte datagram in MACsec with SCI drops it, naming the 32 bytes', async () => {
  const { page, context, log } = await open();
  try {
    // framelens --json vlan-qinq.pcap: frame 4, 1,514 bytes, l3 14..1514, untagged.
    await page.locator('[data-testid=file-input]').setInputFiles(path.join(examples, 'vlan-qinq.pcap'));
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    await select(page, 4);
    const panel = page.locator('[data-testid=whatif]');
    const verdict = panel.locator('[data-testid=whatif-verdict]');
    assert.equal(await verdict.getAttribute('data-dropped'), 'false');
    const macsec = panel.locator('[data-testid=whatif-macsec]');
    const options = await macsec.locator('option').evaluateAll((els) => els.map((e) => [e.value, e.textContent]));
    assert.deepEqual(options, [
      ['none', 'none'],
      ['macsec', 'SecTAG 8 + ICV 16 (+24)'],
      ['macsec-sci', 'SecTAG 16 with SCI + ICV 16 (+32)'],
    ]);
    await macsec.selectOption('macsec-sci');
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.dropped === 'true');
    assert.match(await verdict.textContent(), /MACsec's 32 bytes \(SecTAG 16 \+ ICV 16\)/);
    assert.equal(await verdict.getAttribute('data-measured'), '1532');
    assert.match(await panel.locator('[data-testid=whatif-parts]').textContent(), /^1,546 = 14 Ethernet \+ 16 MACsec SecTAG \+ 1,500 .* \+ 16 MACsec ICV$/);
    assert.equal(await panel.locator('[data-testid=whatif-largest]').getAttribute('data-value'), '1468');
    await macsec.selectOption('macsec');
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.measured === '1524');
    assert.match(await verdict.textContent(), /MACsec's 24 bytes/);
    await panel.locator('[data-testid=whatif-reset]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.dropped === 'false');
    assert.equal(await macsec.inputValue(), 'none');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('datacenter.pcap from the example menu: the MACsec frame 6 has its ICV and 2 trailer bytes', async () => {
  const { page, context, log } = await open();
  try {
    const names = await page.locator('[data-testid=examples] option').evaluateAll((els) => els.map((e) => e.value));
    assert.ok(names.includes('datacenter.pcap'), JSON.stringify(names));
    await example(page, 'datacenter.pcap');
    assert.equal(await page.locator('[data-testid=frame-count]').getAttribute('data-value'), '8');
    const anatomy = await select(page, 6);
    // framelens --json: icv at 1030 (16), trailer at 1046 (2).
    const regions = await anatomy.locator('[data-region]').evaluateAll((els) =>
      els.map((e) => [e.dataset.region, Number(e.dataset.start), Number(e.dataset.len)]),
    );
    assert.deepEqual(regions, [['icv', 1030, 16], ['trailer', 1046, 2]]);
    assert.match(await anatomy.locator('[data-testid=ledger]').textContent(), /14 MACsec SecTAG .* \+ 16 MACsec ICV \+ 2 unexplained$/);
    // The ICV is in the legend's group "After the datagram" and in the field list and hex map.
    assert.ok(await anatomy.locator('.field .f-layer', { hasText: 'MACsec ICV' }).count() >= 1);
    assert.equal(await page.locator('.legend li', { hasText: 'After the datagram' }).count(), 1);
    const tail = await anatomy.locator('.hex .b').evaluateAll((els) => els.slice(-18).map((e) => e.textContent));
    assert.deepEqual(tail, [...Array(16).fill('1c'), '25', '7f']);
    assert.match(await page.locator('[data-testid=whatif-verdict]').textContent(), /MACsec's 32 bytes/);
    await screenshot(page, 'datacenter-macsec');
    assertClean(log);
  } finally {
    await context.close();
  }
});
