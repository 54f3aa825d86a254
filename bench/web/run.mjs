// Framelens in headless Chromium on one capture: the release build in dist/
// (or FRAMELENS_DIST), served on 127.0.0.1, the file chosen through the file
// input. Prints one JSON line:
//   startup_ms        page navigation to the drop zone (wasm of page and worker started)
//   first_row_ms      file chosen to the first row of the frame list
//   first_finding_ms  file chosen to the first capture-wide finding on screen (null: none)
//   complete_ms       file chosen to the summary marked complete
//   mb_per_s          file bytes / complete_ms
//   peak_renderer_mb  largest resident size of the page's renderer process (page, worker,
//                     both wasm memories), see bench/lib/memory.mjs
//   baseline_mb       the same before the file was chosen
//   bytes_per_frame   (peak - baseline) / frames
//   select_ms         25 frames spread evenly over the file, selected 100 ms apart from
//                     300 ms after the summary is complete: URL fragment set to the anatomy
//                     of that frame in the DOM, timed inside the page (performance.now,
//                     MutationObserver). The first (it also reads the file's header), the
//                     median, the 90th percentile, the largest, and all of them.
// Usage: node bench/web/run.mjs FILE [--label NAME]
import fs from 'node:fs';
import { startServer, launchBrowser, openPage } from '../../e2e/lib.mjs';
import { startMemorySampler } from '../lib/memory.mjs';

const file = process.argv[2];
if (!file || !fs.existsSync(file)) {
  console.error('usage: node bench/web/run.mjs FILE');
  process.exit(2);
}
const bytes = fs.statSync(file).size;
const LONG = 30 * 60_000;
const SELECTIONS = 25;

const server = await startServer();
const browser = await launchBrowser();
const memory = await startMemorySampler(browser);
let result;
try {
  const { page, log } = await openPage(browser, server.origin);
  const tNav = Date.now();
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=drop-zone]').waitFor();
  const startupMs = Date.now() - tNav;
  await page.waitForTimeout(500);
  const baselineMb = memory.current().largestMb;

  // Timestamps taken inside the page, so Playwright's polling does not blur them.
  await page.evaluate(() => {
    window.__bench = {};
    const seen = () => {
      const now = performance.now();
      const b = window.__bench;
      if (b.t0 === undefined) return;
      if (b.row === undefined && document.querySelector('[data-testid=frame-row]')) b.row = now;
      if (b.finding === undefined && document.querySelector('[data-testid=finding]')) b.finding = now;
      if (b.complete === undefined && document.querySelector('[data-testid=summary][data-complete=true]')) {
        b.complete = now;
      }
    };
    new MutationObserver(seen).observe(document.body, { childList: true, subtree: true, attributes: true });
    // On the window in the capture phase: before Yew's own (delegated) listener.
    window.addEventListener('change', () => {
      window.__bench.t0 ??= performance.now();
    }, { capture: true });
  });
  await page.locator('[data-testid=file-input]').setInputFiles(file);
  await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: LONG });
  const marks = await page.evaluate(() => window.__bench);
  const frames = Number(await page.locator('[data-testid=frame-count]').getAttribute('data-value'));
  const error = await page.locator('[data-testid=capture-error]').textContent().catch(() => null);

  const select = async (n) =>
    page.evaluate(
      (n) =>
        new Promise((resolve) => {
          const sel = `[data-testid=anatomy][data-frame="${n}"]`;
          const t0 = performance.now();
          const obs = new MutationObserver(() => {
            if (document.querySelector(sel)) {
              obs.disconnect();
              resolve(performance.now() - t0);
            }
          });
          obs.observe(document.body, { childList: true, subtree: true, attributes: true });
          location.hash = `#frame=${n}`;
        }),
      n,
    );
  // The sampler scans /proc on one of the machine's cores: stopped before the
  // selections are timed (a frame's selection keeps no more than its bytes).
  const mem = memory.stop();
  await page.waitForTimeout(300);
  const targets = Array.from({ length: SELECTIONS }, (_, i) => Math.max(1, Math.round((frames * (i + 0.5)) / SELECTIONS)));
  const times = [];
  // Each selection starts from a quiet page, as a click does: 100 ms after the
  // one before, whose paint (its layout, the raster of the new hex map) would
  // otherwise still hold the cores and delay this frame's read from the file.
  for (const n of targets) {
    await page.waitForTimeout(100);
    times.push(await select(n));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const rel = (t) => (t === undefined ? null : Math.round(t - marks.t0));
  const peak = mem.peakLargestMb;
  result = {
    tool: 'framelens',
    file,
    file_bytes: bytes,
    frames,
    startup_ms: startupMs,
    first_row_ms: rel(marks.row),
    first_finding_ms: rel(marks.finding),
    complete_ms: rel(marks.complete),
    mb_per_s: +(bytes / 1e6 / ((marks.complete - marks.t0) / 1000)).toFixed(1),
    peak_renderer_mb: +peak.toFixed(1),
    baseline_mb: +baselineMb.toFixed(1),
    bytes_per_frame: frames ? +(((peak - baselineMb) * 1e6) / frames).toFixed(1) : null,
    select_ms: {
      first: +times[0].toFixed(1),
      median: +sorted[Math.floor(sorted.length / 2)].toFixed(1),
      p90: +sorted[Math.floor(sorted.length * 0.9)].toFixed(1),
      max: +sorted[sorted.length - 1].toFixed(1),
      all: times.map((t) => +t.toFixed(1)),
    },
    capture_error: error,
    console_errors: log.consoleErrors.length,
    page_errors: log.pageErrors,
  };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(result));
