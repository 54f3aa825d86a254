// Display filters and the hand-off downloads, end to end: an expression over
// the records (evaluated on the page), one over the frames' bytes (evaluated
// by the worker re-reading the file), errors with their column, the
// expression in the URL fragment, the CSV of the list as shown and the
// annotated pcapng (parsed here, and dropped back into the app). Expected
// values are the CLI's: `framelens --csv --filter EXPR static/examples/two-bytes.pcap`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, repoRoot, screenshot, useApp, assertClean } from './lib.mjs';

const STORY = path.join(repoRoot, 'static', 'examples', 'two-bytes.pcap');
const TRAILER_FRAMES = [1, 3, 5, 7, 9, 11, 13, 15, 16, 17];

const app = useApp();

async function load(hash = '') {
  const o = await openPage(app.browser, app.server.origin);
  await o.page.goto(app.server.url + hash, { waitUntil: 'load' });
  await o.page.locator('[data-testid=file-input]').setInputFiles(STORY);
  await o.page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
  return o;
}

async function apply(page, expr) {
  const box = page.locator('[data-testid=filter-expr]');
  await box.fill(expr);
  await box.press('Enter');
  await page.locator(`[data-testid=filter-bar][data-applied="${expr.replaceAll('"', '\\"')}"]`).waitFor();
}

async function shown(page) {
  await page.locator('[data-testid=filter-status][data-pending=true]').waitFor({ state: 'detached', timeout: 15_000 });
  const n = Number(await page.locator('[data-testid=filter-bar]').getAttribute('data-shown'));
  const rows = await page.locator('[data-testid=frame-row]').evaluateAll((els) => els.map((e) => Number(e.dataset.frame)));
  return { n, rows };
}

/** The blocks of a little-endian pcapng: { type, body }. */
function pcapngBlocks(buf) {
  const out = [];
  for (let at = 0; at + 12 <= buf.length; ) {
    const type = buf.readUInt32LE(at);
    const len = buf.readUInt32LE(at + 4);
    assert.ok(len >= 12 && at + len <= buf.length, `block at ${at}: length ${len}`);
    assert.equal(buf.readUInt32LE(at + len - 4), len, 'trailing length');
    out.push({ type, body: buf.subarray(at + 8, at + len - 4) });
    at += len;
  }
  return out;
}

/** Enhanced Packet Blocks: caplen, original length and the opt_comment (null: none). */
function packets(buf) {
  return pcapngBlocks(buf)
    .filter((b) => b.type === 6)
    .map(({ body }) => {
      const caplen = body.readUInt32LE(12);
      const original = body.readUInt32LE(16);
      let at = 20 + Math.ceil(caplen / 4) * 4;
      let comment = null;
      while (at + 4 <= body.length) {
        const code = body.readUInt16LE(at);
        const len = body.readUInt16LE(at + 2);
        if (code === 0) break;
        if (code === 1) comment = body.subarray(at + 4, at + 4 + len).toString('utf8');
        at += 4 + Math.ceil(len / 4) * 4;
      }
      return { caplen, original, comment };
    });
}

/**
 * Applies `expr`, downloads the pcapng of the frames shown (`kind`:
 * annotated or trimmed) and checks its name: the rows shown and its bytes.
 */
async function downloadPcapng(page, expr, kind) {
  await apply(page, expr);
  const { rows } = await shown(page);
  const [dl] = await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }),
    page.locator(`[data-testid=download-${kind}]`).click(),
  ]);
  assert.equal(dl.suggestedFilename(), `two-bytes.${kind}.pcapng`);
  return { rows, bytes: fs.readFileSync(await dl.path()) };
}

test('a record expression filters on the page, goes into the URL and comes back from it', async () => {
  const { page, context, log } = await load();
  try {
    await apply(page, 'region == "trailer"');
    assert.equal(await page.locator('[data-testid=filter-status]').getAttribute('data-case'), 'records');
    assert.match(await page.locator('[data-testid=filter-status]').textContent(), /Evaluated on this page/);
    assert.deepEqual(await shown(page), { n: 10, rows: TRAILER_FRAMES });
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, /&filter=region%20%3D%3D%20%22trailer%22$/);
    // With a chip too: both apply.
    await page.locator('[data-filter=over-mtu]').click();
    assert.deepEqual((await shown(page)).rows, [15, 16, 17]);
    await page.locator('[data-filter=all]').click();
    // An error names its column and filters nothing.
    await apply(page, 'ip.sorce == 10.0.0.1');
    const err = page.locator('[data-testid=filter-error]');
    assert.equal(await err.textContent(), 'unknown field `ip.sorce` at column 1; did you mean `ip.src`?');
    assert.equal(await err.getAttribute('data-column'), '1');
    assert.equal((await shown(page)).n, 17);
    await apply(page, 'frame.len > 1000 and frame.len <');
    assert.equal(await err.getAttribute('data-column'), '33');
    await screenshot(page, 'filter-error');
    await apply(page, '');
    assert.equal(await page.evaluate(() => location.hash.includes('filter=')), false);
    assertClean(log);
  } finally {
    await context.close();
  }
  // A link with a filter opens with it applied.
  const again = await load('#filter=' + encodeURIComponent('frame.len >= 1500'));
  try {
    assert.equal(await again.page.locator('[data-testid=filter-expr]').inputValue(), 'frame.len >= 1500');
    assert.deepEqual((await shown(again.page)).rows, [11, 12, 13, 14, 15, 16, 17]);
    assertClean(again.log);
  } finally {
    await again.context.close();
  }
});

test('an expression on the bytes is evaluated by the worker re-reading the file', async () => {
  const { page, context, log } = await load();
  try {
    await apply(page, 'icmp.type == 0');
    const status = page.locator('[data-testid=filter-status]');
    assert.equal(await status.getAttribute('data-case'), 'bytes');
    assert.deepEqual(await shown(page), { n: 7, rows: [2, 4, 6, 8, 10, 12, 14] });
    assert.match(await status.textContent(), /`icmp.type` need each frame's bytes: evaluated by re-reading the file/);
    // A settings change asks again (the answer is the same here).
    await page.locator('[data-testid=mtu]').fill('1400');
    await page.locator('[data-testid=mtu]').press('Tab');
    await page.waitForFunction(() => location.hash.includes('mtu=1400'));
    assert.equal((await shown(page)).n, 7);
    await apply(page, 'eth.src == 3c:22:fb:10:20:30 and frame.len > 1500');
    assert.deepEqual((await shown(page)).rows, [11, 13, 15, 16, 17]);
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('Download CSV: the rows shown, as the CLI writes them', async () => {
  const { page, context, log } = await load();
  try {
    await apply(page, 'region == "trailer"');
    await shown(page);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=download-csv]').click()]);
    assert.equal(dl.suggestedFilename(), 'two-bytes.csv');
    const csv = fs.readFileSync(await dl.path(), 'utf8');
    const lines = csv.trimEnd().split('\n');
    assert.equal(lines.length, 11);
    assert.deepEqual(lines.slice(0, 4), [
      '#,Time (s),Captured,Expected,Diff,Verdict',
      '1,0.000000,104,102,+2,2 unexplained',
      '3,1.000250,548,546,+2,2 unexplained',
      '5,2.000500,"1,048","1,046",+2,2 unexplained',
    ]);
    assert.deepEqual(lines.slice(1).map((l) => Number(l.split(',')[0])), TRAILER_FRAMES);
    assert.match(await page.locator('[data-testid=export-note]').textContent(), /two-bytes\.csv: 10 rows/);
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('Download annotated pcapng: the frames shown with their comments, and it reads back', async () => {
  const { page, context, log } = await load();
  let bytes;
  try {
    const got = await downloadPcapng(page, 'frame.len >= 1000', 'annotated');
    const rows = got.rows;
    bytes = got.bytes;
    const blocks = pcapngBlocks(bytes);
    assert.equal(blocks[0].type, 0x0a0d0d0a, 'a section header first');
    const ps = packets(bytes);
    assert.equal(ps.length, rows.length, 'the frames shown, no others');
    // Frames 15–17 carry the trailer and are over the MTU; replies have nothing to say.
    const commented = ps.filter((p) => p.comment);
    assert.ok(commented.length >= 3, `${commented.length} comments`);
    const last = ps[ps.length - 1];
    assert.equal(last.caplen, 1520);
    assert.match(last.comment, /^2 unexplained bytes after the IPv4 datagram at 1518–1519 \(25 7f\); .*dropped over-mtu packet: 1502 > 1500/);
    await page.locator(`[data-testid=export-note]`, { hasText: `${rows.length} frames written` }).waitFor();
    assertClean(log);
  } finally {
    await context.close();
  }
  // Dropped back into the app, it reads cleanly with the same frames.
  const o = await openPage(app.browser, app.server.origin);
  try {
    await o.page.goto(app.server.url, { waitUntil: 'load' });
    await o.page.locator('[data-testid=file-input]').setInputFiles({
      name: 'two-bytes.annotated.pcapng',
      mimeType: 'application/octet-stream',
      buffer: bytes,
    });
    await o.page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    assert.equal(await o.page.locator('[data-testid=capture-error]').count(), 0);
    assert.equal(Number(await o.page.locator('[data-testid=frame-count]').getAttribute('data-value')), packets(bytes).length);
    assertClean(o.log);
  } finally {
    await o.context.close();
  }
});

// The web's copy of `framelens --annotate --trim`, written by the same core
// annotator: the trailer cut from every frame that has one, both lengths
// fixed, and the cut said in the comment.
test('Download trimmed pcapng: the unexplained bytes cut, as --trim cuts them', async () => {
  const { page, context, log } = await load();
  try {
    const { rows, bytes } = await downloadPcapng(page, 'region == "trailer"', 'trimmed');
    const ps = packets(bytes);
    assert.equal(ps.length, rows.length, 'the frames shown, no others');
    for (const p of ps) {
      assert.match(p.comment, /; trimmed 2 bytes 25 7f after the datagram \(unexplained\)$/);
    }
    const last = ps[ps.length - 1];
    assert.deepEqual([last.caplen, last.original], [1518, 1518]);
    await page.locator(`[data-testid=export-note]`, { hasText: `${rows.length} frames written` }).waitFor();
    assertClean(log);
  } finally {
    await context.close();
  }
});
