// Diagnosis links end to end: share a frame from a loaded capture (headers
// only and full bytes), open the link in a fresh page and find the same
// regions and ledger, change the MTU there, open pinned links made by format
// version 1, and open damaged links. Nothing may leave the origin, and the
// server never sees the fragment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import zlib from 'node:zlib';
import { openPage, screenshot, repoRoot, artifactsDir, useApp, assertClean, openApp } from './lib.mjs';

const examples = path.join(repoRoot, 'static', 'examples');

// Made once by framelens::share (format version 1); they must keep opening to
// the same diagnosis. STORY_V1 is the fixture of crate/tests/share_links.rs:
// two-bytes.pcap frame 15, headers only, note, the 2 trailer bytes selected.
const STORY_V1 =
  'v1.7cwxCsJAEAXQv4WwGlA7wWpQ7EUQG4s0WnmJhWxS2SxBsBLbHCBt2kAukSpdbpAzJOnTZFnIIQLz4BczH_7zJZYQwKK3aTDZ2Kt13_3lSreQVBhrQ_qjzZcCFavIqLfr11VRd_fDsKXzHwgkHm7Hhy-yY5mvdjapRJR4HiQYY4zN0uk3Ag';
// fcs.pcapng frame 1, full bytes, rule linux-bridge, note "tap keeps the FCS", span 60–63.
const FCS_FULL_V1 =
  'v1.NYxBCkBQGITnF5IVN3grOYTFK7GihAtYvFI2irWTOIGlraWtIziEtZX3i6mZpmn60oxcEABpAtbJ7RWXiGf4Y9OLTql-EGOrRBpXPJc1Nhg6F5CDBAj5K-3gcAmkbcwSxQeiwrsvM__Z07p3Dw';

const app = useApp();

/** Opens a diagnosis link in `page`; resolves to its banner once shown. */
async function openShared(page, link) {
  await page.goto(link, { waitUntil: 'load' });
  const banner = page.locator('[data-testid=shared-banner]');
  await banner.waitFor({ timeout: 15_000 });
  return banner;
}

const open = (hash = '') => openApp(app, { hash, clipboard: true });

async function anatomyOf(page, frame, scope = '') {
  const anatomy = page.locator(`${scope} [data-testid=anatomy][data-frame="${frame}"]`);
  await anatomy.waitFor({ timeout: 10_000 });
  const regions = await anatomy.locator('[data-region]').evaluateAll((els) =>
    els.map((e) => ({ kind: e.dataset.region, start: Number(e.dataset.start), len: Number(e.dataset.len), valid: e.dataset.valid })),
  );
  const ledger = await anatomy.locator('[data-testid=ledger]').textContent();
  // Open the folded payload runs (compact anatomy), so that every byte is compared.
  const folds = anatomy.locator('[data-testid=hex-fold]');
  for (let n = await folds.count(); n > 0; n--) {
    await folds.first().click();
    await page.waitForFunction(([sel, left]) => document.querySelectorAll(sel).length === left,
      [`${scope} [data-testid=anatomy][data-frame="${frame}"] [data-testid=hex-fold]`, n - 1]);
  }
  const hex = (await anatomy.locator('.hex .b').allTextContents()).join('');
  const dropped = await anatomy.locator('[data-testid=mtu-verdict]').getAttribute('data-dropped');
  return { regions, ledger, hex, dropped };
}

/** Load two-bytes.pcap with frame 15 selected; its anatomy. */
async function storyFrame(page) {
  await page.locator('[data-testid=file-input]').setInputFiles(path.join(examples, 'two-bytes.pcap'));
  await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
  return anatomyOf(page, 15);
}

test('share the two-bytes frame headers only: the link opens the same diagnosis in a fresh page', async () => {
  const { page, context, log } = await open('#frame=15');
  let link;
  const original = await storyFrame(page);
  try {
    assert.deepEqual(original.regions, [{ kind: 'trailer', start: 1518, len: 2, valid: undefined }]);
    await page.locator('[data-testid=share-button]').click();
    const dialog = page.locator('[data-testid=share-dialog]');
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('role'), 'dialog');
    assert.ok(await page.locator('[data-testid=share-headers-only]').isChecked(), 'headers only is the default');
    assert.equal(await page.locator('[data-testid=share-zeroed]').textContent(), '1,472 bytes replaced by zeros');
    assert.equal(await page.locator('[data-testid=share-span]').inputValue(), '0', 'the unexplained bytes are selected');
    await page.locator('[data-testid=share-note]').fill('USB NIC appends 25 7f; ping -s 1472 dies at OVS');
    // What the user sees: the dialog's top, then (below) scrolled to its ticket texts.
    await page.screenshot({ path: path.join(artifactsDir, 'share-dialog.png') });
    link = await page.locator('[data-testid=share-link]').inputValue();
    assert.ok(link.startsWith(`${app.server.origin}/#share=v1.`), link);
    assert.equal(await page.locator('[data-testid=share-link-length]').textContent(), `${link.length} characters`);
    assert.ok(link.length < 400, `zeroed payload compresses away: ${link.length}`);

    const markdown = await page.locator('[data-testid=share-markdown]').inputValue();
    assert.match(markdown, /^## Frame 15: 1,520 bytes captured, 2 unexplained\n\n> USB NIC appends 25 7f; ping -s 1472 dies at OVS\n/);
    assert.ok(markdown.includes('| trailer | 1518–1519 (2 bytes) | `25 7f` | unexplained |'), markdown);
    assert.ok(markdown.includes(`**Ledger:** \`${original.ledger}\``), markdown);
    assert.ok(markdown.includes('<dev>: dropped over-mtu packet: 1502 > 1500'), markdown);
    const tshark = await page.locator('[data-testid=share-tshark]').inputValue();
    assert.ok(tshark.includes('frame.number == 15'), tshark);
    assert.ok(tshark.includes('vlan.trailer == 25:7f'), tshark);
    assert.ok(
      tshark.includes(
        "tshark -r two-bytes.pcap -o vssmonitoring.dissect_portstamping_only:FALSE -o vssmonitoring.two_byte_portstamps:FALSE --disable-heuristic vssmonitoring_eth -Y 'frame.number == 15' -V -x",
      ),
      tshark,
    );

    await page.locator('[data-testid=copy-markdown]').click();
    await page.locator('[data-testid=copy-status]', { hasText: 'Markdown report copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), markdown);
    await page.locator('[data-testid=copy-tshark]').click();
    await page.locator('[data-testid=copy-status]', { hasText: 'tshark settings and filter copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), tshark);
    await page.locator('[data-testid=share-copy-link]').click();
    await page.locator('[data-testid=copy-status]', { hasText: 'Link copied.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link);
    await page.screenshot({ path: path.join(artifactsDir, 'share-dialog-ticket.png') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assertClean(log);
  } finally {
    await context.close();
  }

  // A fresh page (own context: no state shared with the sender's page).
  const reader = await openPage(app.browser, app.server.origin);
  try {
    const banner = await openShared(reader.page, link);
    assert.equal(await banner.getAttribute('data-headers-only'), 'true');
    assert.match(await banner.textContent(), /Shared diagnosis: frame 15.*headers only/);
    assert.equal(await reader.page.locator('[data-testid=shared-note]').textContent(), 'USB NIC appends 25 7f; ping -s 1472 dies at OVS');
    assert.equal(await reader.page.locator('[data-testid=shared-span]').textContent(), 'The sender points at bytes 1518–1519 (2 bytes).');
    // The bytes the sender pointed at are outlined in the hex map, and only those.
    assert.deepEqual(
      await reader.page.locator('[data-testid=shared-view] .hex .b[data-highlight]').allTextContents(),
      ['25', '7f'],
    );
    const shared = await anatomyOf(reader.page, 15, '[data-testid=shared-view]');
    assert.deepEqual(shared.regions, original.regions);
    assert.equal(shared.ledger, original.ledger);
    assert.equal(shared.dropped, 'true');
    assert.notEqual(shared.hex, original.hex, 'the payload was zeroed');
    assert.equal(shared.hex.slice(0, 46 * 2), original.hex.slice(0, 46 * 2), 'headers kept');
    assert.equal(shared.hex.slice(-4), '257f', 'trailer kept');
    await screenshot(reader.page, 'shared-headers-only');

    // The reader's own MTU: 1502 fits the 1,502-byte L2 payload.
    const mtu = reader.page.locator('[data-testid=shared-view] [data-testid=mtu]');
    await mtu.fill('1502');
    await mtu.press('Enter');
    await mtu.evaluate((e) => e.blur());
    await reader.page.locator('[data-testid=shared-view] [data-testid=mtu-verdict][data-dropped=false]').waitFor();
    assert.match(await reader.page.locator('[data-testid=shared-view] [data-testid=mtu-verdict]').textContent(), /≤ MTU 1502/);
    await reader.page.locator('[data-testid=shared-view] [data-testid=rule]').selectOption('ip-router');
    assert.match(await reader.page.locator('[data-testid=shared-view] [data-testid=mtu-verdict]').textContent(), /An IP router forwards it: datagram 1500 bytes/);
    assertClean(reader.log);
    assert.ok(!app.server.requests.some((r) => r.includes('share')), 'the fragment never reaches the server');
  } finally {
    await reader.context.close();
  }
});

test('full bytes: the shared frame has every byte the sender captured', async () => {
  const { page, context, log } = await open('#frame=15');
  let link;
  let original;
  try {
    original = await storyFrame(page);
    await page.locator('[data-testid=share-button]').click();
    await page.locator('[data-testid=share-full]').check();
    assert.equal(await page.locator('[data-testid=share-zeroed]').textContent(), 'kept as captured');
    link = await page.locator('[data-testid=share-link]').inputValue();
    assertClean(log);
  } finally {
    await context.close();
  }
  const reader = await openPage(app.browser, app.server.origin);
  try {
    const banner = await openShared(reader.page, link);
    assert.equal(await banner.getAttribute('data-headers-only'), 'false');
    assert.match(await banner.textContent(), /full bytes/);
    const shared = await anatomyOf(reader.page, 15, '[data-testid=shared-view]');
    assert.equal(shared.hex, original.hex);
    assert.deepEqual(shared.regions, original.regions);
    assert.equal(shared.ledger, original.ledger);
    assertClean(reader.log);
  } finally {
    await reader.context.close();
  }
});

test('links made by format version 1 keep opening to the same diagnosis', async () => {
  const { page, context, log } = await open(`#share=${STORY_V1}`);
  try {
    await page.locator('[data-testid=shared-banner]').waitFor();
    assert.equal(await page.locator('[data-testid=shared-note]').textContent(), '25 7f after every datagram');
    const a = await anatomyOf(page, 15, '[data-testid=shared-view]');
    assert.deepEqual(a.regions, [{ kind: 'trailer', start: 1518, len: 2, valid: undefined }]);
    assert.equal(a.ledger, '1,520 captured = 14 Ethernet + 4 802.1Q + 1,500 IPv4 datagram (IPv4 total length) + 2 unexplained');
    assert.equal(a.dropped, 'true');
    assert.equal(await page.locator('[data-testid=shared-view] .mtu .log').textContent(), '<dev>: dropped over-mtu packet: 1502 > 1500');

    // A pasted link opens in a page that is already running.
    await page.evaluate((h) => { location.hash = h; }, `#share=${FCS_FULL_V1}`);
    await page.locator('[data-testid=shared-note]', { hasText: 'tap keeps the FCS' }).waitFor();
    const f = await anatomyOf(page, 1, '[data-testid=shared-view]');
    assert.deepEqual(f.regions, [
      { kind: 'padding', start: 54, len: 6, valid: undefined },
      { kind: 'fcs', start: 60, len: 4, valid: 'true' },
    ]);
    assert.match(f.ledger, /^64 captured = 14 Ethernet \+ 40 IPv4 datagram .*\+ 6 padding \+ 4 FCS$/);
    assert.equal(await page.locator('[data-testid=shared-view] [data-testid=rule]').inputValue(), 'linux-bridge');
    assert.equal(await page.locator('[data-testid=shared-banner]').getAttribute('data-headers-only'), 'false');
    assert.equal(await page.locator('[data-testid=shared-span]').textContent(), 'The sender points at bytes 60–63 (4 bytes).');

    await page.locator('[data-testid=shared-close]').click();
    await page.locator('[data-testid=shared-banner]').waitFor({ state: 'detached' });
    assert.ok(!(await page.evaluate(() => location.hash)).includes('share='), 'closing forgets the link');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('damaged links show the core sentence, never a blank page', async () => {
  const bomb = zlib.deflateRawSync(Buffer.alloc(10_000_000)).toString('base64url');
  const cases = [
    [STORY_V1.slice(0, 43), 'The link is damaged or cut short: its compressed data cannot be read.'],
    ['v1.!!!!', 'The link is damaged: it contains characters a Framelens link never has (it may have been cut or wrapped by a mail program).'],
    ['v9.AAAA', 'This link uses format version 9, which this Framelens does not know (it reads versions 1 and 2); it was made by a newer Framelens.'],
    ['hello', 'This is not a Framelens diagnosis link: it should start with "v1." or "v2." after "#share=".'],
    [`v1.${bomb}`, 'The link would expand beyond 264208 bytes, more than one frame can be: refused.'],
  ];
  for (const [link, sentence] of cases) {
    const { page, context, log } = await open(`#share=${link}`);
    try {
      const error = page.locator('[data-testid=share-error]');
      await error.waitFor({ timeout: 10_000 });
      assert.equal(await error.locator('.status').textContent(), sentence, link.slice(0, 40));
      assert.equal(await page.locator('[data-testid=anatomy]').count(), 0);
      assert.ok(await page.locator('[data-testid=drop-zone]').isVisible(), 'the page still works');
      if (link.startsWith('v9')) await screenshot(page, 'share-error');
      assertClean(log);
    } finally {
      await context.close();
    }
  }
});
