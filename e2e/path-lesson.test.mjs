// The path lesson end to end: opened from its gallery card (and by a
// `#lesson=path-story&step=N` link), it loads the path story's two captures
// and the controller's kernel log; at each step the path view selects the
// step's packet, the frame at the step's capture point is the lesson's and
// exactly the step's bytes are outlined there. Expected values are the
// core's (`framelens path static/path-story/*`, crate/tests/lessons.rs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, screenshot, useApp, assertClean, openApp } from './lib.mjs';

// Per step: [journey, point, frame at that point, first byte, byte count].
// Laptop frames are untagged (IPv4 at 14: total length 16–17, destination
// 30–33); at eth1 the 802.1Q tag is 14–17, the 1500-byte datagram 18–1517,
// the driver's 2 bytes 1518–1519, and the L2 payload Open vSwitch counts
// 18–1519 (1,502 bytes). Journey 13 is the answered 1470-byte ping, 15 the
// first 1472-byte one, lost after eth1 (point 1).
const STEPS = [
  [13, 0, 14, 16, 2],
  [15, 0, 16, 16, 2],
  [15, 1, 29, 14, 4],
  [15, 1, 29, 1518, 2],
  [13, 2, 26, 30, 4],
  [15, 1, 29, 18, 1502],
  [15, 1, 29, 1518, 2],
];

const app = useApp();

const open = (hash = '') => openApp(app, { hash, viewport: { width: 1440, height: 900 } });

/** The lesson's frame in the journey's detail: its point, frame and what its anatomy marks. */
async function lessonFrame(page, frame) {
  const box = page.locator('[data-testid=journey-frame][data-lesson=true]');
  await box.locator(`[data-testid=anatomy][data-frame="${frame}"] [data-testid=highlight]`).waitFor({ timeout: 15_000 });
  return box.evaluate((root) => {
    const note = root.querySelector('[data-testid=highlight]');
    const bytes = [...root.querySelectorAll('.hex .hex-row')].flatMap((row) => {
      const at = parseInt(row.querySelector('.off').textContent, 16);
      return [...row.querySelectorAll('.b')].map((b, j) => [at + j, b]);
    });
    const marked = bytes.filter(([, b]) => b.hasAttribute('data-highlight'));
    return {
      point: Number(root.dataset.point),
      title: root.querySelector('h3').textContent,
      note: [Number(note.dataset.start), Number(note.dataset.len)],
      bytes: marked.map(([i]) => i),
      hex: marked.slice(0, 4).map(([, b]) => b.textContent),
    };
  });
}

const range = (start, len) => Array.from({ length: len }, (_, i) => start + i);

async function checkStep(page, k) {
  const [journey, point, frame, start, len] = STEPS[k];
  const where = `step ${k + 1} (packet #${journey + 1} at point ${point})`;
  const step = page.locator(`[data-testid=lesson-step][data-step="${k + 1}"]`);
  await step.waitFor({ timeout: 15_000 });
  assert.deepEqual(
    [await step.getAttribute('data-journey'), await step.getAttribute('data-point'), await step.getAttribute('data-frame')],
    [String(journey), String(point), String(frame)],
    `${where}: the step's stop`,
  );
  // The path view, complete, with the step's packet selected (scrolled into view).
  await page.locator('[data-testid=path-status][data-complete=true]').waitFor({ timeout: 20_000 });
  const row = page.locator('[data-testid=journey-row][aria-selected=true]');
  await row.waitFor({ timeout: 10_000 });
  assert.equal(await row.getAttribute('data-journey'), String(journey), `${where}: the selected journey`);
  assert.ok(await row.isVisible(), `${where}: its row is in view`);
  const m = await lessonFrame(page, frame);
  assert.equal(m.point, point, `${where}: the point whose frame is the lesson's`);
  assert.match(m.title, new RegExp(`· frame ${frame}$`), `${where}: its title`);
  assert.deepEqual(m.note, [start, len], `${where}: the highlighted range`);
  assert.deepEqual(m.bytes, range(start, len), `${where}: the outlined hex bytes`);
  assert.match(await page.evaluate(() => location.hash), new RegExp(`lesson=path-story&step=${k + 1}`));
  return { step, row, m };
}

test('path lesson: from its card through every step to the takeaway', async () => {
  const { page, context, log } = await open();
  try {
    const card = page.locator('[data-testid=lesson-card][data-lesson="path-story"]');
    assert.match(await card.textContent(), /Path: 2 captures and a kernel log/);
    await card.click();
    for (let k = 0; k < STEPS.length; k++) {
      const { step, row, m } = await checkStep(page, k);
      if (k === 0) {
        // The three files opened as one drop: two capture tabs (the frame list
        // shows the controller's), three points in path order, the log beside.
        assert.deepEqual(await page.locator('[data-testid=capture-tab]').allTextContents(), ['laptop.pcap', 'controller.pcapng']);
        assert.equal(await page.locator('[data-testid=capture-tab][aria-pressed=true]').textContent(), 'controller.pcapng');
        const points = await page.locator('[data-testid=path-point]').allTextContents();
        assert.deepEqual(points, ['laptop.pcap · 0', 'controller.pcapng · eth1', 'controller.pcapng · qr-5d0a1c2e-7f']);
        assert.equal(await page.locator('[data-testid=journey-frame]').count(), 3, 'the answered ping at all three points');
        assert.match(await page.locator('[data-testid=log-panel] h2').textContent(), /controller-kern\.log/);
      }
      if (k === 1) {
        assert.match(await step.textContent(), /packet #16 at laptop\.pcap · 0 · frame 16/);
      }
      if (k === 3) {
        // The 2 bytes the controller's NIC added, outlined at eth1.
        assert.deepEqual(m.hex, ['25', '7f']);
        assert.match(await page.locator('[data-testid=path-finding]').first().textContent(), /carries 2 unexplained bytes \(25 7f\)/);
      }
      if (k === 5) {
        // Lost between eth1 and the router port: marked at qr-… (point 2).
        assert.equal(await step.getAttribute('data-lost'), 'true');
        assert.deepEqual(await row.locator('[data-testid=journey-lost]').evaluateAll((els) => els.map((e) => e.dataset.point)), ['2']);
        assert.match(await page.locator('[data-testid=journey-loss]').textContent(), /^Lost after controller\.pcapng · eth1: never seen at controller\.pcapng · qr-5d0a1c2e-7f/);
        assert.equal(await page.locator('[data-testid=journey-frame]').count(), 2, 'seen at two points only');
        await screenshot(page, 'lesson-path-story-lost');
      }
      if (k === 6) {
        // The kernel log line that names the drop, marked, tied to frame 29 of the capture shown.
        const line = page.locator('[data-testid=log-line][data-marked=true]');
        assert.equal(await line.count(), 1);
        assert.deepEqual([await line.getAttribute('data-line'), await line.getAttribute('data-frames')], ['4', '29']);
        assert.match(await line.textContent(), /qg-3f9c2b71-a4: dropped over-mtu packet: 1502 > 1500/);
      } else {
        assert.equal(await page.locator('[data-testid=log-line][data-marked=true]').count(), 0, `step ${k + 1}: no line marked`);
      }
      await page.locator('[data-testid=lesson-next]').click();
    }
    const end = page.locator('[data-testid=lesson-end]');
    await end.waitFor({ timeout: 5_000 });
    assert.match(await end.textContent(), /Takeaway.*Check on a real system.*framelens path/s);
    // Issue 24: the story ends with the driver's fix and the live-system commands.
    assert.match(await end.textContent(), /e869e7a17798.*Linux 5\.7\.7.*ethtool -i eth1.*journalctl -k \| grep over-mtu/s);
    assert.equal(await page.locator('[data-testid=journey-frame][data-lesson=true]').count(), 0, 'nothing outlined for the lesson');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('path lesson: #lesson=path-story&step=N opens it at that step, and steps back', async () => {
  const { page, context, log } = await open('#lesson=path-story&step=6');
  try {
    await checkStep(page, 5);
    await page.locator('[data-testid=lesson-prev]').click();
    await checkStep(page, 4);
    // A journey chosen by hand keeps the lesson; the step's outline goes.
    await page.locator('[data-testid=path-filter-lost]').click();
    await page.locator('[data-testid=journey-row][data-journey="15"]').click();
    await page.locator('[data-testid=journey-row][data-journey="15"][aria-selected=true]').waitFor({ timeout: 5_000 });
    assert.equal(await page.locator('[data-testid=journey-frame][data-lesson=true]').count(), 0);
    assert.equal(await page.locator('[data-testid=lesson-step][data-step="5"]').count(), 1);
    assertClean(log);
  } finally {
    await context.close();
  }
});
