// The path view's answer does not depend on the order the captures come in
// (issue 22): the story's two captures picked together in the file dialog,
// dropped together, or dropped one after the other, each in both orders,
// give the same columns, the same loss sentence and the same journeys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, useApp, assertClean, dropFiles, openApp } from './lib.mjs';

const story = path.join(repoRoot, 'static', 'path-story');
const laptop = path.join(story, 'laptop.pcap');
const controller = path.join(story, 'controller.pcapng');
const app = useApp();

const COLUMNS = ['laptop.pcap · 0', 'controller.pcapng · eth1', 'controller.pcapng · qr-5d0a1c2e-7f'];
const LOSS = /^3 packets reach `controller\.pcapng · eth1` and never reach `controller\.pcapng · qr-5d0a1c2e-7f`/;

async function pathDone(page) {
  await page.locator('[data-testid=path-status][data-complete=true]').waitFor({ timeout: 20_000 });
}

/** Every journey row's text, by journey index: the list shows only the rows
 * in view, so it is scrolled from top to bottom. */
async function journeyTable(page) {
  return page.evaluate(async () => {
    const list = document.querySelector('.path-view .journeys');
    const rows = new Map();
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    for (let top = 0; ; top += list.clientHeight / 2) {
      list.scrollTop = top;
      list.dispatchEvent(new Event('scroll'));
      await frame();
      for (const row of list.querySelectorAll('[data-testid=journey-row]')) {
        const cells = [...row.querySelectorAll('.cell')].map((c) => c.textContent);
        rows.set(Number(row.dataset.journey), cells.join(' | '));
      }
      if (top + list.clientHeight >= list.scrollHeight) break;
    }
    list.scrollTop = 0;
    list.dispatchEvent(new Event('scroll'));
    return [...rows.entries()].sort((a, b) => a[0] - b[0]).map(([, t]) => t);
  });
}

/** What the path view answers, once it is done. */
async function answer(page) {
  await pathDone(page);
  const view = page.locator('[data-testid=path-view]');
  const status = await view.locator('[data-testid=path-status]').textContent();
  return {
    followed: Number(status.match(/^([\d,]+) packets followed/)[1].replace(/,/g, '')),
    columns: await view.locator('[data-testid=path-point]').allTextContents(),
    loss: await view.locator('[data-testid=path-finding]').allTextContents(),
    journeys: await journeyTable(page),
  };
}

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
