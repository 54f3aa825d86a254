// Shared e2e helpers: a tiny static server for dist/ and a headless Chromium
// driven by playwright-core. Tests never need `trunk serve`.
import http from 'node:http';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');
// FRAMELENS_DIST lets parallel work build and test its own copy (trunk build --dist DIR).
export const distDir = path.resolve(repoRoot, process.env.FRAMELENS_DIST || 'dist');
export const artifactsDir = path.join(here, 'artifacts');
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serve `root` (default: dist/) on 127.0.0.1 at a free port.
 * Resolves to { origin, url, requests, close() }; `requests` lists every path asked for.
 * `headers` are added to every file served (e2e/csp.test.mjs sends the CSP as a header).
 */
export async function startServer(root = distDir, { headers = {} } = {}) {
  if (!fs.existsSync(path.join(root, 'index.html'))) {
    throw new Error(`${root}/index.html not found: run \`trunk build --release\` first`);
  }
  const requests = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(urlPath);
    let file = path.normalize(path.join(root, urlPath));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (urlPath.endsWith('/')) file = path.join(file, 'index.html');
    fs.readFile(file, (err, data) => {
      if (err) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(data);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Launch headless Chromium (the system one; playwright-core downloads nothing). */
export async function launchBrowser() {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(`${chromiumPath} not found: run scripts/install-tools --browser`);
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Open a fresh page that records what tests usually want to assert on:
 *   requests        every request URL the page made
 *   foreignRequests requests to any origin other than `origin` (data:/blob: are local);
 *                   these are aborted, not sent
 *   consoleErrors   console.error messages
 *   pageErrors      uncaught exceptions
 */
export async function openPage(browser, origin) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const isLocal = (url) =>
    url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin;
  // Foreign requests are recorded by the listener below and never leave the machine.
  await context.route('**/*', (route) =>
    isLocal(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  const log = { requests: [], foreignRequests: [], consoleErrors: [], pageErrors: [] };
  page.on('request', (req) => {
    const url = req.url();
    log.requests.push(url);
    if (!isLocal(url)) log.foreignRequests.push(url);
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error') log.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => log.pageErrors.push(String(err)));
  return { page, context, log };
}

/** Save a full-page screenshot to e2e/artifacts/<name>.png and return its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(artifactsDir, { recursive: true });
  const file = path.join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * For a test file: starts the server and the browser once before its tests and closes them
 * after. Returns an object whose `server` and `browser` are set once the tests run.
 */
export function useApp() {
  const app = { server: null, browser: null };
  before(async () => {
    app.server = await startServer();
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/** Fails the test on any request to another origin, uncaught page error or console error. */
export function assertClean(log) {
  assert.deepEqual(log.foreignRequests, [], 'requests to other origins');
  assert.deepEqual(log.pageErrors, [], 'uncaught page errors');
  assert.deepEqual(log.consoleErrors, [], 'console errors');
}

/** A real drop event on the drop zone (or the page) whose DataTransfer holds `files` (paths). */
export async function dropFiles(page, files) {
  const data = files.map((f) => ({ name: path.basename(f), bytes: [...fs.readFileSync(f)] }));
  await page.evaluate((data) => {
    const dt = new DataTransfer();
    for (const f of data) dt.items.add(new File([new Uint8Array(f.bytes)], f.name));
    const target = document.querySelector('[data-testid=drop-zone]') || document.querySelector('.app');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, data);
}

/**
 * A fresh page of `app` (from `useApp`) at the app's URL + `hash`, once the drop zone shows.
 * `viewport` sets the page's size; `clipboard` grants clipboard access.
 */
export async function openApp(app, { hash = '', viewport, clipboard = false } = {}) {
  const o = await openPage(app.browser, app.server.origin);
  if (viewport) await o.page.setViewportSize(viewport);
  if (clipboard) await o.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.server.origin });
  await o.page.goto(app.server.url + hash, { waitUntil: 'load' });
  await o.page.locator('[data-testid=drop-zone]').waitFor({ state: 'visible', timeout: 15_000 });
  return o;
}

export async function pathDone(page) {
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

/** What the path view answers, once it is done: how many packets it
 * followed, its columns, its loss sentences and every journey row. */
export async function pathAnswer(page) {
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
