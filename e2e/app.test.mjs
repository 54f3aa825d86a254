// The app end to end: load by file input, by drag-and-drop and from the
// example menu, read the summary, select frames by URL fragment, check the
// regions and ledger against the CLI's answers, a corrupt file, and that
// nothing leaves the origin. Expected values were checked with
// `framelens --json FILE` (see each test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, screenshot, repoRoot, useApp, assertClean, openApp } from './lib.mjs';

const captures = path.join(repoRoot, 'tests', 'captures');
const examples = path.join(repoRoot, 'static', 'examples');

const app = useApp();

const open = (hash = '') => openApp(app, { hash });

async function waitComplete(page) {
  await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
}

async function frameCount(page) {
  return Number(await page.locator('[data-testid=frame-count]').getAttribute('data-value'));
}

async function regions(page, frame) {
  const anatomy = page.locator(`[data-testid=anatomy][data-frame="${frame}"]`);
  await anatomy.waitFor({ timeout: 10_000 });
  return anatomy.locator('[data-region]').evaluateAll((els) =>
    els.map((e) => ({
      kind: e.dataset.region,
      start: Number(e.dataset.start),
      len: Number(e.dataset.len),
      nonzero: e.dataset.nonzero,
    })),
  );
}

test('file input: udpPacketWithEthernetTrailers.pcap frame 1 has 3 bytes of non-zero padding at 57', async () => {
  const { page, context, log } = await open('#frame=1');
  try {
    await page.locator('[data-testid=file-input]').setInputFiles(path.join(examples, 'udpPacketWithEthernetTrailers.pcap'));
    await waitComplete(page);
    assert.equal(await frameCount(page), 1);
    assert.deepEqual(await regions(page, 1), [{ kind: 'padding', start: 57, len: 3, nonzero: 'true' }]);
    const ledger = await page.locator('[data-testid=ledger]').textContent();
    assert.match(ledger, /^60 captured = 14 Ethernet \+ 43 IPv4 datagram .* \+ 3 padding$/);
    assert.ok((await page.locator('[data-testid=finding]').count()) >= 1, 'the Etherleak pattern finding');
    // Pointing at a padding byte names it; pointing at a field highlights its bytes.
    const hex = page.locator('[data-testid=anatomy] .hex .b');
    assert.equal(await hex.count(), 60);
    await hex.nth(58).hover();
    assert.match(await page.locator('.hover-line').textContent(), /^padding · Padding \(not all zero\) = a6 9f 44 \(bytes 57–59\)$/);
    await page.locator('.field', { hasText: 'Total length' }).first().focus();
    assert.deepEqual(
      await page.locator('[data-testid=anatomy] .hex .b.hl').evaluateAll((els) => els.map((e) => e.textContent)),
      ['00', '2b'],
      'IPv4 total length 43 = 00 2b',
    );
    await screenshot(page, 'anatomy-udp-trailer');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('drag-and-drop: 802.1ad_QinQ.pcap, then #frame=1 shows 14 bytes of padding at 50', async () => {
  const { page, context, log } = await open();
  try {
    const bytes = [...fs.readFileSync(path.join(examples, '802.1ad_QinQ.pcap'))];
    // A real drop event with a DataTransfer holding the file, as a browser makes it.
    await page.evaluate((data) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(data)], '802.1ad_QinQ.pcap', { type: 'application/vnd.tcpdump.pcap' }));
      const target = document.querySelector('[data-testid=drop-zone]');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      }
    }, bytes);
    await waitComplete(page);
    assert.equal(await frameCount(page), 2);
    assert.equal(await page.locator('[data-testid=frame-row]').count(), 2);
    await page.evaluate(() => { location.hash = '#frame=1'; });
    assert.deepEqual(await regions(page, 1), [{ kind: 'padding', start: 50, len: 14, nonzero: 'false' }]);
    // Keyboard: down selects frame 2, and the URL follows.
    await page.locator('[data-testid=frame-list]').focus();
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid=anatomy][data-frame="2"]').waitFor({ timeout: 10_000 });
    assert.match(await page.evaluate(() => location.hash), /frame=2/);
    // Back returns to frame 1.
    await page.goBack();
    await page.locator('[data-testid=anatomy][data-frame="1"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'qinq-dropped');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('example menu: the two-bytes story, MTU change re-evaluates without a rescan', async () => {
  const { page, context, log } = await open();
  try {
    await page.locator('[data-testid=examples]').selectOption('two-bytes.pcap');
    await waitComplete(page);
    const n = await frameCount(page);
    assert.ok(n > 2, `frames: ${n}`);
    const findings = await page.locator('[data-testid=finding]').allTextContents();
    assert.ok(findings.some((f) => /ping/i.test(f)), `ping sweep finding in ${JSON.stringify(findings)}`);
    const overMtu = async () => Number((await page.locator('.stat[data-kind=over-mtu] dd').textContent()).replace(/,/g, ''));
    assert.ok((await overMtu()) > 0, 'OVS drops some frames at MTU 1500');
    // Clicking a finding selects its first frame.
    await page.locator('[data-testid=finding]').first().click();
    await page.locator('[data-testid=anatomy]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'story-summary');
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'story-laptop-1440');
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, 'story-tablet-768');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1440, height: 900 });
    await screenshot(page, 'story-dark-1440');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.locator('[data-testid=mtu]').fill('9000');
    await page.locator('[data-testid=mtu]').press('Enter');
    await page.locator('[data-testid=mtu]').blur();
    await page.waitForFunction(() => location.hash.includes('mtu=9000'));
    assert.equal(await overMtu(), 0);
    assert.equal(await page.locator('[data-testid=summary]').getAttribute('data-complete'), 'true');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('virtualized list: only rows in view exist; scrolling and FCS mode rescan', async () => {
  const { page, context, log } = await open();
  try {
    await page.locator('[data-testid=examples]').selectOption('mixed-vlan-mpls.pcap');
    await waitComplete(page);
    assert.equal(await frameCount(page), 47); // framelens --json: 47 frames
    const rendered = await page.locator('[data-testid=frame-row]').count();
    assert.ok(rendered < 47, `rendered ${rendered} rows of 47`);
    await page.locator('[data-testid=frame-list]').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.locator('[data-testid=frame-row][data-frame="47"]').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('[data-testid=frame-row][data-frame="1"]').count(), 0);
    // Filter: only frames with padding (5, per the CLI's counts).
    await page.locator('[data-filter=padding]').click();
    assert.equal(await page.locator('[data-testid=frame-row]').count(), 5);
    // FCS mode re-scans the file with the new setting and completes again.
    // framelens --json --fcs present: fcs_invalid 42 (auto: 0). Five 60-byte frames end their
    // datagram at 58: their last 4 bytes cannot also be an FCS (fixed in 086e8e7, found by the fuzzer).
    const fcsStat = page.locator('.stat[data-kind=fcs] dd');
    assert.equal(await fcsStat.textContent(), '0');
    await page.locator('[data-testid=fcs]').selectOption('present');
    await page.waitForFunction(() => location.hash.includes('fcs=present'));
    await page.waitForFunction(() => document.querySelector('.stat[data-kind=fcs] dd')?.textContent === '42');
    await waitComplete(page);
    assert.equal(await frameCount(page), 47);
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('frames deep in a file re-read alone: pcap after its header, pcapng after its section and interface blocks', async () => {
  const { page, context, log } = await open('#frame=8');
  try {
    // framelens --json mixed-vlan-mpls.pcap: frame 8 at byte 574, padding 58+2.
    await page.locator('[data-testid=file-input]').setInputFiles(path.join(examples, 'mixed-vlan-mpls.pcap'));
    await waitComplete(page);
    assert.deepEqual(await regions(page, 8), [{ kind: 'padding', start: 58, len: 2, nonzero: 'false' }]);
    // framelens --json fcs.pcapng: frame 3 (interface 0, if_fcslen) ends with a valid FCS at 454.
    await page.locator('[data-testid=file-input]').setInputFiles(path.join(examples, 'fcs.pcapng'));
    await waitComplete(page);
    await page.evaluate(() => { location.hash = '#frame=3'; });
    assert.deepEqual(await regions(page, 3), [{ kind: 'fcs', start: 454, len: 4, nonzero: undefined }]);
    assert.equal(await page.locator('[data-testid=anatomy] [data-region=fcs]').getAttribute('data-valid'), 'true');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('corrupt file: the frame before the fault stays, with the error sentence', async () => {
  const { page, context, log } = await open();
  try {
    await page.locator('[data-testid=file-input]').setInputFiles(path.join(captures, 'bug-6875-fuzz.pcap'));
    await waitComplete(page);
    assert.equal(await frameCount(page), 1);
    const err = await page.locator('[data-testid=capture-error]').textContent();
    assert.match(err, /byte 228/);
    assert.equal(await page.locator('[data-testid=frame-row]').count(), 1);
    await screenshot(page, 'corrupt');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('not a capture: a clear message, no frames', async () => {
  const { page, context, log } = await open();
  try {
    await page.locator('[data-testid=file-input]').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('GET / HTTP/1.1\r\nHost: example\r\n\r\n'),
    });
    await waitComplete(page);
    assert.equal(await frameCount(page), 0);
    assert.match(await page.locator('[data-testid=capture-error]').textContent(), /not a capture/i);
    assertClean(log);
  } finally {
    await context.close();
  }
});
