// Display-filter changes on a loaded capture, in headless Chromium on the
// release build (dist/ or FRAMELENS_DIST). After the summary is complete,
// applies each expression in turn (the box's value set and its `change`
// event fired, as Enter does) and times inside the page, from the event to
// the list showing the new rows (the filter bar's data-applied and the rows
// in the DOM) and to the next frame after that (requestAnimationFrame +
// setTimeout 0: the paint is done). Record expressions run on the page; a
// byte expression waits for the worker's re-read of the file.
// Prints one JSON line. Usage: node bench/web/filter.mjs FILE [ROUNDS]
// A capture of ~1M small frames: gen-capture /tmp/acks-80.pcap 80 acks.
import fs from 'node:fs';
import os from 'node:os';
import { startServer, launchBrowser, openPage } from '../../e2e/lib.mjs';

const file = process.argv[2];
const rounds = Number(process.argv[3] || 3);
if (!file || !fs.existsSync(file)) {
  console.error('usage: node bench/web/filter.mjs FILE [ROUNDS]');
  process.exit(2);
}
const RECORD = ['frame.len > 60', 'frame.number < 500000', 'extra > 0 or fcs == "invalid"', 'not over_mtu and frame.cap_len >= 60', ''];
const BYTES = ['tcp.port == 80', 'ip.src == 10.0.0.0/8'];

const server = await startServer();
const browser = await launchBrowser();
let result;
try {
  const { page, log } = await openPage(browser, server.origin);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 30 * 60_000 });
  const frames = Number(await page.locator('[data-testid=frame-count]').getAttribute('data-value'));
  await page.waitForTimeout(500);
  const apply = (expr, bytes) =>
    page.evaluate(
      ([expr, bytes]) =>
        new Promise((resolve) => {
          const box = document.querySelector('[data-testid=filter-expr]');
          const done = () => {
            const bar = document.querySelector('[data-testid=filter-bar]');
            if (!bar || bar.dataset.applied !== expr) return false;
            if (bytes && !document.querySelector('[data-testid=filter-status][data-pending=false]')) return false;
            return true;
          };
          const t0 = performance.now();
          const finish = () => {
            const dom = performance.now() - t0;
            const shown = Number(document.querySelector('[data-testid=filter-bar]').dataset.shown);
            requestAnimationFrame(() => setTimeout(() => resolve({ dom, painted: performance.now() - t0, shown }), 0));
          };
          const obs = new MutationObserver(() => {
            if (done()) {
              obs.disconnect();
              finish();
            }
          });
          obs.observe(document.body, { childList: true, subtree: true, attributes: true });
          box.value = expr;
          box.dispatchEvent(new Event('change', { bubbles: true }));
          if (done()) {
            obs.disconnect();
            finish();
          }
        }),
      [expr, bytes],
    );
  const record = [];
  for (let r = 0; r < rounds; r++) {
    for (const e of RECORD) {
      await page.waitForTimeout(200);
      record.push({ expr: e, ...(await apply(e, false)) });
    }
  }
  const bytes = [];
  for (const e of BYTES) {
    await page.waitForTimeout(200);
    bytes.push({ expr: e, ...(await apply(e, true)) });
  }
  const painted = record.map((x) => x.painted).sort((a, b) => a - b);
  result = {
    file,
    file_bytes: fs.statSync(file).size,
    frames,
    loadavg_before: os.loadavg().map((l) => +l.toFixed(2)),
    record_filter_ms: {
      median: +painted[Math.floor(painted.length / 2)].toFixed(1),
      max: +painted[painted.length - 1].toFixed(1),
      all: record.map((x) => ({ expr: x.expr, dom: +x.dom.toFixed(1), painted: +x.painted.toFixed(1), shown: x.shown })),
    },
    byte_filter_ms: bytes.map((x) => ({ expr: x.expr, painted: +x.painted.toFixed(1), shown: x.shown })),
    console_errors: log.consoleErrors.length,
    page_errors: log.pageErrors,
  };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(result));
