// Offline and installable: after one load the service worker (dist/sw.js)
// controls the page and holds this build's files; with the network switched
// off the page reloads, opens an example, reads a dropped file and shows a
// frame, and the server sees no request. The cache holds exactly the build's
// files, never a capture the user dropped; a new build replaces the old cache.
// The manifest parses and names the app. Chromium allows service workers on
// http://127.0.0.1 (a secure context).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { distDir, launchBrowser, repoRoot, screenshot, startServer } from './lib.mjs';

const captures = path.join(repoRoot, 'tests', 'captures');
let browser;
before(async () => {
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

/** The file list and version precache.mjs wrote into a built sw.js. */
function build(dir) {
  const line = fs.readFileSync(path.join(dir, 'sw.js'), 'utf8').match(/^const BUILD = (.*);$/m);
  assert.ok(line, 'sw.js has its BUILD line');
  return JSON.parse(line[1]);
}

async function openControlled(server) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const log = { consoleErrors: [], pageErrors: [] };
  page.on('console', (msg) => msg.type() === 'error' && log.consoleErrors.push(msg.text()));
  page.on('pageerror', (err) => log.pageErrors.push(String(err)));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=drop-zone]').waitFor({ state: 'visible', timeout: 15_000 });
  // The worker installs (fills its cache), activates and claims the page.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  return { context, page, log };
}

/** Every cache of the origin: its name and, per entry, the URL and the body's bytes. */
const cacheContents = (page) =>
  page.evaluate(async () => {
    const out = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out[name] = [];
      for (const req of await cache.keys()) {
        const body = new Uint8Array(await (await cache.match(req)).arrayBuffer());
        out[name].push({ url: req.url, size: body.length, head: Array.from(body.slice(0, 64)) });
      }
    }
    return out;
  });

async function dropFile(page, name, bytes) {
  await page.evaluate(([data, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], name, { type: 'application/vnd.tcpdump.pcap' }));
    const target = document.querySelector('[data-testid=drop-zone]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, [[...bytes], name]);
}

test('offline: reload, open an example, drop a file and select a frame with the network off', async () => {
  const server = await startServer();
  const { context, page, log } = await openControlled(server);
  try {
    const { version, files } = build(distDir);
    assert.match(version, /^[0-9a-f]{16}$/);
    for (const f of ['index.html', 'framelens-web.js', 'framelens-web_bg.wasm', 'scan-worker.js', 'scan-worker_bg.wasm',
      'scan-worker_loader.js', 'style.css', 'static/start.js', 'static/manifest.webmanifest', 'static/examples/two-bytes.pcap']) {
      assert.ok(files.includes(f), `${f} is precached: ${JSON.stringify(files)}`);
    }
    assert.ok(!files.includes('sw.js'));
    // Installable: Chromium reads the manifest without errors.
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, [], JSON.stringify(manifest.errors));
    assert.equal(manifest.url, `${server.origin}/static/manifest.webmanifest`);
    const parsed = JSON.parse(manifest.data);
    assert.equal(parsed.name, 'Framelens');
    const icons = await Promise.all(parsed.icons.map((i) => page.evaluate((u) => fetch(u).then((r) => r.status), new URL(i.src, manifest.url).href)));
    assert.deepEqual(icons, parsed.icons.map(() => 200));

    // Network off: nothing reaches the server from here on.
    const seen = server.requests.length;
    await context.setOffline(true);
    await page.reload({ waitUntil: 'load' });
    await page.locator('[data-testid=drop-zone]').waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('[data-testid=examples]').selectOption('two-bytes.pcap');
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    await page.evaluate(() => { location.hash = '#frame=15'; });
    await page.locator('[data-testid=anatomy][data-frame="15"] [data-region=trailer]').waitFor({ timeout: 10_000 });
    // A file of the user's: a capture that is not one of the examples.
    const mine = fs.readFileSync(path.join(captures, 'bug-6875-fuzz.pcap'));
    await dropFile(page, 'mine-offline.pcap', mine);
    await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid=frame-count]').getAttribute('data-value'), '1');
    await page.locator('[data-testid=frame-row][data-frame="1"]').click();
    await page.locator('[data-testid=anatomy][data-frame="1"]').waitFor({ timeout: 10_000 });
    await screenshot(page, 'offline');
    assert.deepEqual(server.requests.slice(seen), [], 'requests that reached the server while offline');

    // The cache: one, of this build, exactly its files; nothing the user dropped.
    const contents = await cacheContents(page);
    assert.deepEqual(Object.keys(contents), [`framelens-${version}`]);
    const entries = contents[`framelens-${version}`];
    assert.deepEqual(entries.map((e) => e.url).sort(), files.map((f) => `${server.origin}/${f}`).sort());
    assert.ok(entries.every((e) => !e.url.includes('mine-offline')));
    const head = [...mine.subarray(0, 64)];
    assert.ok(
      !entries.some((e) => e.size === mine.length && JSON.stringify(e.head) === JSON.stringify(head)),
      'the dropped capture is not in the cache',
    );
    assert.deepEqual(log.pageErrors, [], 'uncaught page errors');
    assert.deepEqual(log.consoleErrors, [], 'console errors');
    // The network really is off: a file that is not the app's cannot be fetched.
    assert.match(await page.evaluate(() => fetch('/not-cached').then((r) => `ok ${r.status}`, (e) => `rejected: ${e}`)), /^rejected/);
  } finally {
    await context.close();
    await server.close();
  }
});

test('a new build replaces the old cache', async () => {
  // A copy of dist/ with one file changed between two "builds", each stamped by
  // precache.mjs (an example's notes: a file under SRI would no longer load).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'framelens-sw-'));
  fs.cpSync(distDir, dir, { recursive: true });
  const server = await startServer(dir);
  const { context, page } = await openControlled(server);
  try {
    const first = build(dir).version;
    assert.deepEqual(await page.evaluate(() => caches.keys()), [`framelens-${first}`]);
    fs.appendFileSync(path.join(dir, 'static', 'examples', 'SOURCES.md'), '\nnext build\n');
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'precache.mjs'), dir]);
    const second = build(dir).version;
    assert.notEqual(second, first);
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    // Installed, activated (the old cache deleted), in control.
    let keys = [];
    for (let i = 0; i < 150 && JSON.stringify(keys) !== JSON.stringify([`framelens-${second}`]); i++) {
      await page.waitForTimeout(200);
      keys = await page.evaluate(() => caches.keys());
    }
    assert.deepEqual(keys, [`framelens-${second}`]);
    // The new cache serves the new build's bytes.
    const notes = await page.evaluate((name) => caches.open(name).then((c) => c.match('/static/examples/SOURCES.md')).then((r) => r.text()), `framelens-${second}`);
    assert.match(notes, /next build\n$/);
  } finally {
    await context.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
