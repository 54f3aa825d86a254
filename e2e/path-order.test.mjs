// The path view's answer does not depend on the order the captures come in
// (issue 22): the story's two captures picked together in the file dialog,
// dropped together, or dropped one after the other, each in both orders,
// give the same columns, the same loss sentence and the same journeys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, useApp, assertClean, dropFiles, openApp, pathDone, pathAnswer as answer } from './lib.mjs';

const story = path.join(repoRoot, 'static', 'path-story');
const laptop = path.join(story, 'laptop.pcap');
const controller = path.join(story, 'controller.pcapng');
const app = useApp();

const COLUMNS = ['laptop.pcap · 0', 'controller.pcapng · eth1', 'controller.pcapng · qr-5d0a1c2e-7f'];
const LOSS = /^3 packets reach `controller\.pcapng · eth1` and never reach `controller\.pcapng · qr-5d0a1c2e-7f`/;

const pick = (page, files) => page.locator('[data-testid=file-input]').setInputFiles(files);
const ways = {
  'picked together in the file dialog': pick,
  'dropped together': dropFiles,
  'dropped one after the other': async (page, files) => {
    await dropFiles(page, [files[0]]);
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    await dropFiles(page, [files[1]]);
  },
};

// Each way and order is its own test (one failing does not hide the
// others); each answer must be the first one's.
let first = null;
for (const [way, open] of Object.entries(ways)) {
  for (const files of [[laptop, controller], [controller, laptop]]) {
    const what = `${way}, ${files.map((f) => path.basename(f)).join(' then ')}`;
    test(`path view: the same answer when the story's captures are ${what}`, async () => {
      const { page, context, log } = await openApp(app);
      try {
        await open(page, files);
        const got = await answer(page);
        assert.deepEqual(got.columns, COLUMNS, 'the columns in path order');
        assert.ok(got.loss.length >= 1, 'a loss sentence');
        assert.match(got.loss[0], LOSS, 'the loss sentence');
        assert.ok(got.journeys.length > 3, 'the journeys');
        assert.equal(got.journeys.length, got.followed, 'every journey followed is in the table');
        if (first) {
          assert.deepEqual(got.loss, first.loss, `the same loss sentences as ${first.what}`);
          assert.deepEqual(got.journeys, first.journeys, `the same journeys as ${first.what}`);
        } else {
          first = { ...got, what };
        }
        assertClean(log);
      } finally {
        await context.close();
      }
    });
  }
}

/** The path view's columns once it shows `columns`, done, and the URL's `order=` is `order` ('' for none). */
async function shows(page, columns, order) {
  try {
    await page.waitForFunction(
      ({ columns, order }) => {
        const got = [...document.querySelectorAll('[data-testid=path-point]')].map((e) => e.textContent);
        const hash = new URLSearchParams(location.hash.slice(1)).get('order') ?? '';
        return document.querySelector('[data-testid=path-status][data-complete=true]') && hash === order && JSON.stringify(got) === JSON.stringify(columns);
      },
      { columns, order },
      { timeout: 20_000 },
    );
  } catch (e) {
    const got = await page.locator('[data-testid=path-point]').allTextContents();
    assert.fail(`expected the columns ${columns.join(', ')} and order=${order}; the page shows ${got.join(', ')} at ${await page.evaluate(() => location.hash)} (${e.message.split('\n')[0]})`);
  }
}

const [LAPTOP, ETH1, QR] = COLUMNS;
const spec = { [LAPTOP]: 'laptop.pcap:0', [ETH1]: 'controller.pcapng:eth1', [QR]: 'controller.pcapng:qr-5d0a1c2e-7f' };
const orderOf = (columns) => columns.map((c) => spec[c]).join(',');

test('path view: a column dragged to another place reorders the points, into the URL, and back by the keyboard', async () => {
  const { page, context, log } = await openApp(app);
  try {
    await dropFiles(page, [laptop, controller]);
    await shows(page, COLUMNS, '');
    // The core's sentence: the evidence decided, nothing else is offered.
    const note = page.locator('[data-testid=path-order]');
    assert.equal(await note.getAttribute('data-given'), 'false');
    assert.match(await note.locator('[data-testid=path-order-sentence]').textContent(), /^The path order is the one \d+ packets seen at several points pass/);
    assert.equal(await page.locator('[data-testid=path-order-choice]').count(), 0);
    const columns = page.locator('[data-testid=path-column]');
    // The laptop dragged onto the router port: it takes its place.
    await columns.nth(0).dragTo(columns.nth(2));
    await shows(page, [ETH1, QR, LAPTOP], orderOf([ETH1, QR, LAPTOP]));
    assert.equal(await page.locator('.app.dragging').count(), 0, 'a column is not a file drop');
    assert.equal(await note.getAttribute('data-given'), 'true', 'the order is the reader\'s now');
    // The keyboard: the laptop's "one place left" button, twice; the button
    // keeps the focus while the path is followed again.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    await page.getByRole('button', { name: `Move ${LAPTOP} one place left` }).focus();
    await page.keyboard.press('Enter');
    await shows(page, [ETH1, LAPTOP, QR], orderOf([ETH1, LAPTOP, QR]));
    assert.equal(await focused(), `Move ${LAPTOP} one place left`);
    await page.keyboard.press('Enter');
    await shows(page, COLUMNS, orderOf(COLUMNS));
    // At the left end its left button is disabled: the focus is on its right one.
    assert.equal(await focused(), `Move ${LAPTOP} one place right`);
    assert.equal(await page.getByRole('button', { name: `Move ${LAPTOP} one place left` }).isDisabled(), true, 'the first column goes no further left');
    // Back in the history: the order before.
    await page.goBack();
    await shows(page, [ETH1, LAPTOP, QR], orderOf([ETH1, LAPTOP, QR]));
    // And back to the evidence's.
    await page.locator('[data-testid=path-order-evidence]').click();
    await shows(page, COLUMNS, '');
    assert.equal(await note.getAttribute('data-given'), 'false');
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('path view: a link with an order= opens the captures in that order, dropped in either order', async () => {
  const order = [ETH1, QR, LAPTOP];
  for (const files of [[laptop, controller], [controller, laptop]]) {
    const { page, context, log } = await openApp(app, { hash: `#order=${orderOf(order)}` });
    try {
      await dropFiles(page, files);
      await shows(page, order, orderOf(order));
      assert.equal(await page.locator('[data-testid=path-order]').getAttribute('data-given'), 'true');
      assertClean(log);
    } finally {
      await context.close();
    }
  }
  // A point the captures do not have is said; the others keep their place.
  const { page, context, log } = await openApp(app, { hash: '#order=router.pcap:eth9,controller.pcapng:qr-5d0a1c2e-7f' });
  try {
    await dropFiles(page, [laptop, controller]);
    await shows(page, [QR, LAPTOP, ETH1], 'router.pcap:eth9,controller.pcapng:qr-5d0a1c2e-7f');
    assert.match(await page.locator('[data-testid=path-order-unknown]').textContent(), /^`router\.pcap:eth9` names no capture point; the points are /);
    assertClean(log);
  } finally {
    await context.close();
  }
});

test('path view: where the evidence cannot decide, the orders it allows are one click each', async () => {
  // The two-bytes capture twice (under two names) beside the story's
  // controller: no packet orders some of their points.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelens-order-'));
  const copy = path.join(dir, 'two-bytes-copy.pcap');
  fs.copyFileSync(path.join(repoRoot, 'static', 'examples', 'two-bytes.pcap'), copy);
  const { page, context, log } = await openApp(app);
  try {
    await dropFiles(page, [path.join(repoRoot, 'static', 'examples', 'two-bytes.pcap'), copy, controller]);
    await pathDone(page);
    const evidence = await page.locator('[data-testid=path-point]').allTextContents();
    const choices = page.locator('[data-testid=path-order-choice]');
    assert.ok((await choices.count()) >= 1, 'at least one other order offered');
    assert.match(await page.locator('[data-testid=path-order-sentence]').textContent(), /No packet orders/);
    const choice = choices.first();
    const [order, text] = [await choice.getAttribute('data-order'), await choice.textContent()];
    await choice.click();
    await shows(page, text.split(' → '), order);
    assert.equal(await page.locator('[data-testid=path-order]').getAttribute('data-given'), 'true');
    await page.locator('[data-testid=path-order-evidence]').click();
    await shows(page, evidence, '');
    assertClean(log);
  } finally {
    await context.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
