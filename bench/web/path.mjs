// The path view in headless Chromium: two captures of the same traffic at two
// points (bench/src/bin/gen-path) chosen together through the file input, to
// the path view marked complete (every journey followed by the path worker,
// posted and kept by the page). Prints one JSON line:
//   path_complete_ms  files chosen to `path-status[data-complete=true]`
//   scan_complete_ms  files chosen to the first capture's summary complete (the scan worker, at the same time)
//   journeys          packets followed (from the status line)
//   mb_per_s          both files' bytes / path_complete_ms (each file is read twice)
//   load_before       the machine's 1-minute load average when the files were chosen
// Usage: node bench/web/path.mjs A.pcap B.pcap
import fs from 'node:fs';
import os from 'node:os';
import { startServer, launchBrowser, openPage } from '../../e2e/lib.mjs';

const files = process.argv.slice(2);
if (files.length < 2 || !files.every((f) => fs.existsSync(f))) {
  console.error('usage: node bench/web/path.mjs A.pcap B.pcap');
  process.exit(2);
}
const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
const LONG = 30 * 60_000;
const server = await startServer();
const browser = await launchBrowser();
let result;
try {
  const { page } = await openPage(browser, server.origin);
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=drop-zone]').waitFor();
  await page.waitForTimeout(1000);
  await page.evaluate(() => {
    window.__bench = {};
    const seen = () => {
      const b = window.__bench;
      if (b.t0 === undefined) return;
      const now = performance.now();
      if (b.scan === undefined && document.querySelector('[data-testid=summary][data-complete=true]')) b.scan = now;
      if (b.path === undefined && document.querySelector('[data-testid=path-status][data-complete=true]')) b.path = now;
    };
    new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true });
    window.addEventListener('change', () => { window.__bench.t0 ??= performance.now(); }, { capture: true });
  });
  const loadBefore = os.loadavg()[0];
  await page.locator('[data-testid=file-input]').setInputFiles(files);
  await page.locator('[data-testid=path-status][data-complete=true]').waitFor({ timeout: LONG });
  const marks = await page.evaluate(() => window.__bench);
  const status = await page.locator('[data-testid=path-status]').textContent();
  const held = await page.locator('[data-testid=path-status]').getAttribute('title');
  const pathMs = Math.round(marks.path - marks.t0);
  result = {
    files,
    file_bytes: bytes,
    path_complete_ms: pathMs,
    scan_complete_ms: marks.scan === undefined ? null : Math.round(marks.scan - marks.t0),
    journeys: Number((status.match(/^([\d,]+) packets/) || [, '0'])[1].replaceAll(',', '')),
    held,
    mb_per_s: Math.round(bytes / 1e6 / (pathMs / 1000)),
    load_before: loadBefore,
    status,
  };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(result));
