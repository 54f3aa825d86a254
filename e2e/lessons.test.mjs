// Lessons end to end: every lesson walked from its gallery card to the
// takeaway, checking at each step that the anatomy shows the step's frame
// and that exactly the step's bytes are marked; `#lesson=ID` links; the
// what-if panel; the glossary and the links to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openPage, screenshot, artifactsDir, useApp, assertClean, openApp } from './lib.mjs';

// Per lesson, per step: [frame, first byte, byte count] of what the step
// points at. Worked out from the frames' structure, e.g. two-bytes frame 13:
// Ethernet 14 + 802.1Q 4, so IPv4 total length at 18 + 2 = 20; its 1498-byte
// datagram ends at 18 + 1498 = 1516, where the 2 stray bytes start.
const STEPS = {
  'two-bytes': [[13, 20, 2], [13, 1516, 2], [14, 38, 8], [15, 20, 2], [15, 1518, 2], [15, 1518, 2]],
  // Frame 15 as five devices count it: the tag 14–17 (step 1, and the bridge's
  // step: the tag it does not count), the L2 payload 18–1519, the 2 bytes,
  // the whole frame for OVS-DPDK, the total length at 20 for a router.
  'who-counts': [[15, 14, 4], [15, 18, 1502], [15, 14, 4], [15, 1518, 2], [15, 0, 1520], [15, 20, 2]],
  // 14 + 20 + 20 = 54-byte ACK; padding 54–59.
  etherleak: [[1, 34, 20], [1, 54, 6], [2, 54, 6]],
  // FCS after 60 bytes; after 14 + 4 + 20 + 8 + 200 = 246; after 14 + 20 + 20 + 1460 = 1514.
  fcs: [[1, 60, 4], [2, 54, 6], [5, 246, 4], [7, 1514, 4]],
  // 14 + 28 + 10 = 52, padded to 60; tags from 14, 4 bytes each.
  'vlan-qinq': [[1, 52, 8], [2, 14, 4], [3, 14, 8], [6, 14, 8]],
  // VXLAN header after 14 + 20 + 8 = 42; outer total length at 16.
  vxlan: [[1, 42, 8], [1, 16, 2], [2, 16, 2]],
  // Geneve after 14 + 20 + 8 = 42: 8 fixed + OVN's 8-byte option at 50; outer
  // total length at 16; over IPv6 the payload length at 14 + 4 = 18.
  'geneve-ovn': [[1, 42, 16], [1, 50, 8], [1, 16, 2], [2, 16, 2], [3, 18, 2]],
  // TCP with the 12-byte timestamp option: 32 bytes from 14 + 20 = 34.
  'gro-tso': [[1, 34, 32], [2, 16, 2], [3, 16, 2]],
  snaplen: [[2, 16, 2], [3, 16, 2]],
  // MSS option after 14 + 20 + 20 = 54; flags at 14 + 6; next-hop MTU at 14 + 20 + 6.
  'pmtu-blackhole': [[1, 54, 4], [3, 34, 20], [4, 20, 2], [5, 40, 2]],
  // IPv6 payload length at 18; ICMPv6 after 14 + 40 = 54: type 54, MTU 58–61;
  // the source address 22–37.
  'ipv6-ptb': [[1, 18, 2], [2, 54, 1], [2, 58, 4], [2, 18, 2], [3, 18, 2], [2, 22, 16]],
  // MSS, the SYN's first option, at 14 + 20 + 20 = 54; a data segment's
  // timestamps after two NOPs at 56; total length at 16.
  'mss-clamp': [[1, 54, 4], [2, 54, 4], [3, 54, 4], [4, 54, 4], [5, 56, 10], [5, 16, 2], [7, 16, 2]],
  // SLL2 0–19, ARP 20–47, padding to 20 + 46 = 66, trailer after 20 + 20 + 20 + 1000.
  cooked: [[1, 0, 20], [1, 20, 28], [2, 48, 18], [3, 1060, 2]],
  // TCP 34–53 of a 54-byte ACK; padding 54–59; the tag 14–17; the EtherType
  // 12–13; total length at 16; the FCS after 60 and after 14 + 1500.
  'capture-points': [[1, 34, 20], [2, 54, 6], [3, 34, 20], [4, 14, 4], [5, 12, 2], [6, 16, 2], [7, 16, 2], [8, 60, 4], [9, 1514, 4]],
  // Length field 12–13, LLC 14–16, padding 52–59, SNAP 17–21.
  ieee8023: [[1, 12, 2], [1, 14, 3], [1, 52, 8], [2, 17, 5]],
};

const app = useApp();

const open = (hash = '') => openApp(app, { hash, viewport: { width: 1440, height: 900 } });

/** What the anatomy marks: hex byte offsets, field rows, regions, and the note's range. */
async function marked(page, frame) {
  const anatomy = page.locator(`[data-testid=anatomy][data-frame="${frame}"]`);
  await anatomy.waitFor({ timeout: 10_000 });
  await anatomy.locator('[data-testid=highlight]').waitFor({ timeout: 10_000 });
  return anatomy.evaluate((root) => {
    const note = root.querySelector('[data-testid=highlight]');
    // A byte's offset: its row's (the .off label, hex) plus its place in the row;
    // folded payload rows (compact anatomy) hold no bytes.
    const bytes = [...root.querySelectorAll('.hex .hex-row')].flatMap((row) => {
      const at = parseInt(row.querySelector('.off').textContent, 16);
      return [...row.querySelectorAll('.b')].map((b, j) => [at + j, b]);
    });
    return {
      note: [Number(note.dataset.start), Number(note.dataset.len)],
      bytes: bytes.flatMap(([i, b]) => (b.hasAttribute('data-highlight') ? [i] : [])),
      fields: [...root.querySelectorAll('.field[data-highlight]')].map((f) => ({
        start: Number(f.dataset.start),
        len: Number(f.dataset.len),
        text: f.textContent,
      })),
      regions: [...root.querySelectorAll('[data-region][data-highlight]')].map((r) => ({
        kind: r.dataset.region,
        start: Number(r.dataset.start),
        len: Number(r.dataset.len),
      })),
    };
  });
}

/** What a laptop screen shows (the full page of a 1,520-byte frame is 4,000 px tall). */
async function viewShot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, `${name}.png`) });
}

const range = (start, len) => Array.from({ length: len }, (_, i) => start + i);

test('gallery: one card per lesson beside the drop zone', async () => {
  const { page, context, log } = await open();
  try {
    const ids = await page.locator('[data-testid=lesson-card]').evaluateAll((els) => els.map((e) => e.dataset.lesson));
    // The path lesson (e2e/path-lesson.test.mjs) has a card of its own too.
    assert.deepEqual(ids.sort(), [...Object.keys(STEPS), 'path-story'].sort());
    for (const card of await page.locator('[data-testid=lesson-card]').all()) {
      const [title, summary] = await card.locator('span').allTextContents();
      assert.ok(title.length > 5 && summary.length > 20, `${title} / ${summary}`);
    }
    // Beside, not below: the gallery's top is level with the drop zone's on a laptop screen.
    const dz = await page.locator('[data-testid=drop-zone]').boundingBox();
    const gallery = await page.locator('.gallery').boundingBox();
    assert.ok(gallery.x > dz.x + dz.width - 1 && Math.abs(gallery.y - dz.y) < 4, JSON.stringify({ dz, gallery }));
    await screenshot(page, 'lessons-start-1440');
    await page.setViewportSize({ width: 768, height: 1024 });
    await screenshot(page, 'lessons-start-768');
    assertClean(log);
  } finally {
    await context.close();
  }
});

for (const [id, steps] of Object.entries(STEPS)) {
  test(`lesson ${id}: walked from its card to the takeaway, each step marks its bytes`, async () => {
    const { page, context, log } = await open();
    try {
      await page.locator(`[data-testid=lesson-card][data-lesson="${id}"]`).click();
      for (const [k, [frame, start, len]] of steps.entries()) {
        const step = page.locator(`[data-testid=lesson-step][data-step="${k + 1}"]`);
        await step.waitFor({ timeout: 15_000 });
        assert.equal(Number(await step.getAttribute('data-frame')), frame, `${id} step ${k + 1}: frame`);
        const m = await marked(page, frame);
        const where = `${id} step ${k + 1} (frame ${frame})`;
        assert.deepEqual(m.note, [start, len], `${where}: the highlighted range`);
        assert.deepEqual(m.bytes, range(start, len), `${where}: marked hex bytes`);
        assert.ok(m.fields.length > 0, `${where}: at least one marked field row`);
        for (const f of m.fields) {
          assert.ok(f.start >= start && f.start + f.len <= start + len, `${where}: field ${f.text} outside`);
        }
        const kind = await step.getAttribute('data-highlight-kind');
        if (kind === 'region') {
          assert.equal(m.regions.length, 1, `${where}: one marked region`);
          assert.deepEqual([m.regions[0].start, m.regions[0].len], [start, len], `${where}: region callout`);
        } else if (kind === 'field') {
          assert.ok(m.fields.some((f) => f.start === start && f.len === len), `${where}: the field itself is marked`);
        }
        // The URL follows the walk, so a teacher can hand out this very step.
        assert.match(await page.evaluate(() => location.hash), new RegExp(`lesson=${id}&step=${k + 1}`));
        if (id === 'two-bytes' && k === steps.length - 1) {
          await page.evaluate(() => window.scrollTo(0, 0));
          await viewShot(page, 'lesson-two-bytes-step5-1440');
          // The marked bytes are far down the hex map; the note's button brings them into view.
          await page.locator('[data-testid=highlight] button').click();
          const box = await page.locator('.hex .b.marked').first().boundingBox();
          assert.ok(box && box.y >= 0 && box.y < 900, `marked byte in view: ${JSON.stringify(box)}`);
          await viewShot(page, 'lesson-two-bytes-step5-bytes-1440');
        }
        await page.locator('[data-testid=lesson-next]').click();
      }
      const end = page.locator('[data-testid=lesson-end]');
      await end.waitFor({ timeout: 5_000 });
      assert.match(await end.textContent(), /Takeaway.*Check on a real system/s);
      if (id === 'two-bytes') {
        // Issue 24: the story ends with the driver's fix and the live-system commands.
        assert.match(await end.textContent(), /e869e7a17798.*Linux 5\.7\.7.*ethtool -i eth1.*ip -s link show.*journalctl -k \| grep over-mtu/s);
      }
      assert.ok((await end.locator('li').count()) >= 1, 'something to check');
      assert.equal(await page.locator('[data-testid=lesson-next]').count(), 0, 'no step after the takeaway');
      assert.equal(await page.locator('[data-testid=lesson-step]').count(), 0);
      if (id === 'vxlan') await viewShot(page, 'lesson-vxlan-takeaway-1440');
      assertClean(log);
    } finally {
      await context.close();
    }
  });
}

test('#lesson=two-bytes opens the lesson directly; &step=N and back/forward', async () => {
  const { page, context, log } = await open('#lesson=two-bytes');
  try {
    await page.locator('[data-testid=lesson-step][data-step="1"][data-frame="13"]').waitFor({ timeout: 15_000 });
    assert.deepEqual((await marked(page, 13)).note, [20, 2]);
    await page.evaluate(() => { location.hash = '#lesson=two-bytes&step=5'; });
    await page.locator('[data-testid=lesson-step][data-step="5"]').waitFor({ timeout: 5_000 });
    assert.deepEqual((await marked(page, 15)).note, [1518, 2]);
    await page.goBack();
    await page.locator('[data-testid=lesson-step][data-step="1"]').waitFor({ timeout: 5_000 });
    await context.close();

    const direct = await open('#lesson=two-bytes&step=4');
    await direct.page.locator('[data-testid=lesson-step][data-step="4"][data-frame="15"]').waitFor({ timeout: 15_000 });
    assert.deepEqual((await marked(direct.page, 15)).note, [20, 2]);
    // The story's verdict: Open vSwitch drops the 1502-byte L2 payload.
    assert.equal(await direct.page.locator('[data-testid=mtu-verdict]').getAttribute('data-dropped'), 'true');
    assertClean(direct.log);
    await direct.context.close();
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('what-if: the verdict follows the MTU, the trailer bytes, a tag and a tunnel', async () => {
  const { page, context, log } = await open('#lesson=two-bytes&step=5');
  try {
    const panel = page.locator('[data-testid=whatif]');
    await panel.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=anatomy][data-frame="15"]').waitFor({ timeout: 10_000 });
    const verdict = panel.locator('[data-testid=whatif-verdict]');
    const state = async () => ({
      dropped: await verdict.getAttribute('data-dropped'),
      measured: await verdict.getAttribute('data-measured'),
      frame: await panel.locator('tr[data-size=frame] td[data-value]').getAttribute('data-value'),
    });
    const set = async (testid, value) => {
      const input = panel.locator(`[data-testid=${testid}]`);
      await input.fill(String(value));
      await input.press('Enter');
      await input.blur();
    };
    // Frame 15: ping -s 1472 over VLAN with 2 stray bytes: 1502 > 1500.
    assert.deepEqual(await state(), { dropped: 'true', measured: '1502', frame: '1,520' });
    await set('whatif-trailer', 0);
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.dropped === 'false');
    assert.deepEqual(await state(), { dropped: 'false', measured: '1500', frame: '1,518' });
    await set('whatif-trailer', 2);
    await set('whatif-mtu', 1502);
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.dropped === 'false');
    assert.equal((await state()).measured, '1502');
    // A Linux bridge at 1500 allows skb->len up to 1518, and skb->len lacks the
    // outer tag (skb_vlan_untag): the tagged 1,520-byte frame counts 1516 and passes.
    await set('whatif-mtu', 1500);
    await panel.locator('[data-testid=whatif-rule]').selectOption('linux-bridge');
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.measured === '1516');
    assert.deepEqual(await state(), { dropped: 'false', measured: '1516', frame: '1,520' });
    // 5 trailer bytes: 1519 > 1518, dropped.
    await set('whatif-trailer', 5);
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.measured === '1519');
    assert.deepEqual(await state(), { dropped: 'true', measured: '1519', frame: '1,523' });
    // Without the tag the bridge counts the same 1519 bytes: removing it does not help.
    await panel.locator('[data-testid=whatif-tag-remove]').click();
    await page.waitForFunction(() => document.querySelector('tr[data-size=frame] td[data-value]').dataset.value === '1,519');
    assert.deepEqual(await state(), { dropped: 'true', measured: '1519', frame: '1,519' });
    await set('whatif-trailer', 2);
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.measured === '1516');
    // VXLAN around the untagged frame: 14 + 20 + 8 + 8 + (14 + 1500 + 2) = 1566 bytes.
    await panel.locator('[data-testid=whatif-rule]').selectOption('ip-router');
    await panel.locator('[data-testid=whatif-tunnel]').selectOption('vxlan');
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.dropped === 'true');
    assert.deepEqual(await state(), { dropped: 'true', measured: '1552', frame: '1,566' });
    assert.equal(await panel.locator('[data-testid=whatif-largest]').getAttribute('data-value'), '1448');
    await panel.scrollIntoViewIfNeeded();
    await viewShot(page, 'whatif-vxlan-1440');
    // The anatomy's own verdict did not change: the what-if is only a question.
    assert.equal(await page.locator('[data-testid=mtu-verdict]').getAttribute('data-dropped'), 'true');
    await panel.locator('[data-testid=whatif-reset]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=whatif-verdict]').dataset.measured === '1502');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('glossary: every key term has an entry, and terms link to it', async () => {
  const { page, context, log } = await open();
  try {
    await page.locator('[data-testid=glossary-open]').click();
    const glossary = page.locator('[data-testid=glossary]');
    await glossary.waitFor({ timeout: 5_000 });
    const ids = await glossary.locator('[id^=glossary-]').evaluateAll((els) => els.map((e) => e.id));
    for (const term of [
      // region kinds, FCS statuses, capture-wide findings
      'padding', 'fcs', 'vendor', 'trailer',
      'fcs-valid', 'fcs-invalid', 'fcs-absent', 'fcs-unknown',
      'pattern', 'ping-sweep', 'path-mtu', 'mss', 'unsupported-link',
      // key terms
      'mtu', 'l2-payload', 'vlan-tag', 'qinq', 'vxlan', 'gre', 'superframe', 'snaplen',
      'pmtu-black-hole', 'cooked', 'ieee8023', 'etherleak',
    ]) {
      assert.ok(ids.includes(`glossary-${term}`), `glossary-${term} in ${ids.join(' ')}`);
    }
    assert.match(await page.locator('#glossary-vxlan').textContent(), /50 bytes.*1450/s);
    await page.locator('[data-testid=glossary-close]').click();
    assert.equal(await glossary.count(), 0);

    // From a region callout in a lesson's anatomy to its entry.
    await page.locator('[data-testid=lesson-card][data-lesson="two-bytes"]').click();
    await page.locator('[data-testid=lesson-step][data-step="1"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid=anatomy] [data-region=trailer] [data-glossary=trailer]').click();
    await page.locator('#glossary-trailer.target').waitFor({ timeout: 5_000 });
    const inView = () => page.evaluate((id) => {
      const r = document.getElementById(id).getBoundingClientRect();
      return r.top >= 0 && r.bottom <= window.innerHeight;
    }, 'glossary-trailer');
    assert.ok(await inView(), 'the entry is scrolled into view');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'glossary-trailer');
    await viewShot(page, 'glossary-trailer-1440');
    // From the settings' device rule, the legend and a capture-wide finding.
    for (const [where, id] of [
      ['.settings', 'ovs-kernel'],
      ['.legend', 'after-datagram'],
      ['[data-testid=summary] .findings', 'pattern'],
    ]) {
      await page.locator(`${where} [data-glossary=${id}]`).first().click();
      await page.locator(`#glossary-${id}.target`).waitFor({ timeout: 5_000 });
    }
    assertClean(log);
  } finally {
    await context.close();
  }
});
