// Rough browser benchmark (not part of scripts/test): builds a capture of
// SIZE_MB megabytes by repeating the records of static/examples/two-bytes.pcap,
// loads it through the file input of the release build in headless Chromium,
// and prints time to the first row, time to the complete summary, MB/s, and
// the time to select a frame near the end (URL fragment to rendered anatomy).
// Usage: trunk build --release && node e2e/bench-web.mjs [SIZE_MB]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launchBrowser, openPage, repoRoot } from './lib.mjs';

const sizeMb = Number(process.argv[2] || 100);
const src = fs.readFileSync(path.join(repoRoot, 'static', 'examples', 'two-bytes.pcap'));
const file = path.join(os.tmpdir(), `framelens-bench-${sizeMb}mb.pcap`);
if (!fs.existsSync(file)) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, src.subarray(0, 24));
  const records = src.subarray(24);
  for (let n = 0; n < sizeMb * 1024 * 1024; n += records.length) fs.writeSync(fd, records);
  fs.closeSync(fd);
}
const bytes = fs.statSync(file).size;

const server = await startServer();
const browser = await launchBrowser();
try {
  const { page, log } = await openPage(browser, server.origin);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=drop-zone]').waitFor();
  const t0 = Date.now();
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=frame-row]').first().waitFor({ timeout: 600_000 });
  const firstRowMs = Date.now() - t0;
  await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 600_000 });
  const completeMs = Date.now() - t0;
  const frames = Number(await page.locator('[data-testid=frame-count]').getAttribute('data-value'));
  const target = Math.max(1, frames - 10);
  const t1 = Date.now();
  await page.evaluate((n) => { location.hash = `#frame=${n}`; }, target);
  await page.locator(`[data-testid=anatomy][data-frame="${target}"]`).waitFor({ timeout: 60_000 });
  const selectMs = Date.now() - t1;
  console.log(JSON.stringify({
    bytes, frames, firstRowMs, completeMs,
    mbPerS: +(bytes / 1e6 / (completeMs / 1000)).toFixed(1),
    selectFrame: target, selectMs,
    consoleErrors: log.consoleErrors, pageErrors: log.pageErrors,
  }));
} finally {
  await browser.close();
  await server.close();
}
