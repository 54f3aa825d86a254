#!/usr/bin/env node
// node bench/wiregasm/run.mjs [--pref MODULE.NAME:VALUE]... [--no-chunks] FILE
//
// Benchmarks Wiregasm (Wireshark compiled to WebAssembly) in headless Chromium on FILE, the
// way a person would use a web packet viewer: open the page, wait until it is ready, choose
// FILE in an <input type=file>, wait for the first page (100 rows) of its packet list.
// Prints one JSON line:
//   {"tool":"wiregasm","file_bytes":..,"frames":..,"startup_ms":..,"first_page_ms":..,
//    "mb_per_s":..,"peak_renderer_mb":..,"error":null, ...extra fields}
// mb_per_s = file_bytes / 1e6 / (first_page_ms / 1000): file chosen -> first page.
// peak_renderer_mb: bench/lib/memory.mjs (summed VmRSS of the renderer processes, 100 ms).
// --pref sets a Wireshark preference (tshark's -o syntax) after start-up, before the file is
// chosen; e.g. --pref tcp.analyze_sequence_numbers:FALSE.
// The file goes into Wiregasm as its README shows (File.arrayBuffer, FS.writeFile); if that
// read fails (files over 2 GiB) the page writes 16 MiB slices instead and says so in "notes",
// unless --no-chunks, where the failed read is the result.
// A failure of Wiregasm (or a renderer crash, or a time-out) is a result: it is reported in
// "error" and the exit code is still 0. Exit 2: bad usage or Wiregasm not installed.
//
// The harness page (bench/wiregasm/page/) and Wiregasm's files
// (bench/wiregasm/node_modules/@goodtools/wiregasm/dist/, under /wiregasm/) are served by a
// static server on 127.0.0.1; the page may request nothing else (other requests are aborted).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, openPage } from '../../e2e/lib.mjs';
import { startMemorySampler } from '../lib/memory.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const pageDir = path.join(here, 'page');
const wiregasmDir = path.join(here, 'node_modules', '@goodtools', 'wiregasm', 'dist');
const STEP_TIMEOUT_MS = 10 * 60 * 1000; // start-up, and file chosen -> first page, each
const HARD_TIMEOUT_MS = 25 * 60 * 1000; // the whole run, whatever happens

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.data': 'application/octet-stream',
};

/** Static server on 127.0.0.1: / -> page/, /wiregasm/ -> Wiregasm's dist/ (3 files only). */
async function startServer() {
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = null;
    const m = /^\/wiregasm\/(wiregasm\.(?:js|wasm|data))$/.exec(urlPath);
    if (m) file = path.join(wiregasmDir, m[1]);
    else if (/^\/(?:index\.html|main\.mjs|worker\.js)?$/.test(urlPath)) {
      file = path.join(pageDir, urlPath === '/' ? 'index.html' : urlPath.slice(1));
    }
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, {
        'content-type': MIME[path.extname(file)] || 'application/octet-stream',
        'content-length': st.size,
        'cache-control': 'no-store',
      });
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections?.();
      server.close();
    },
  };
}

const round = (x, digits = 1) => (x == null ? null : Math.round(x * 10 ** digits) / 10 ** digits);

async function main() {
  const args = process.argv.slice(2);
  const prefs = [];
  const files = [];
  let bad = false;
  let noChunks = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--pref' && i + 1 < args.length) prefs.push(args[++i]);
    else if (args[i] === '--no-chunks') noChunks = true;
    else if (args[i].startsWith('--')) bad = true;
    else files.push(args[i]);
  }
  const file = files[0];
  if (bad || files.length !== 1) {
    console.error('usage: node bench/wiregasm/run.mjs [--pref MODULE.NAME:VALUE]... [--no-chunks] FILE');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(wiregasmDir, 'wiregasm.wasm'))) {
    console.error('Wiregasm is not installed: run bench/wiregasm/install');
    process.exit(2);
  }
  const fileBytes = fs.statSync(file).size;

  const out = {
    tool: 'wiregasm',
    file_bytes: fileBytes,
    frames: null,
    startup_ms: null,
    first_page_ms: null,
    mb_per_s: null,
    peak_renderer_mb: null,
    error: null,
  };
  const hard = setTimeout(() => {
    out.error = `run.mjs gave up after ${HARD_TIMEOUT_MS / 60000} min`;
    console.log(JSON.stringify(out));
    process.exit(0);
  }, HARD_TIMEOUT_MS);

  const loadBefore = round(os.loadavg()[0], 2);
  const server = await startServer();
  const browser = await launchBrowser();
  const sampler = await startMemorySampler(browser);
  let state = null;
  let page = null;
  let log = null;
  try {
    ({ page, log } = await openPage(browser, server.origin));
    const crashed = new Promise((_, reject) =>
      page.once('crash', () => reject(new Error('renderer process crashed (out of memory?)'))),
    );
    crashed.catch(() => {});
    const waitPhase = (phases) =>
      Promise.race([
        page.waitForFunction((ps) => ps.includes(window.__wiregasm?.phase), phases, {
          timeout: STEP_TIMEOUT_MS,
          polling: 100,
        }),
        crashed,
      ]);

    const params = prefs.map((p) => `pref=${encodeURIComponent(p)}`);
    if (noChunks) params.push('chunks=0');
    const query = params.length ? `?${params.join('&')}` : '';
    await page.goto(`${server.origin}/${query}`, { timeout: STEP_TIMEOUT_MS });
    await waitPhase(['ready', 'error']);
    state = await page.evaluate(() => window.__wiregasm);
    if (state.phase === 'ready') {
      await page.setInputFiles('#file', file, { timeout: STEP_TIMEOUT_MS });
      await waitPhase(['firstPage', 'error']);
      state = await page.evaluate(() => window.__wiregasm);
    }
    out.error = state.error;
    if (!out.error && log.foreignRequests.length) {
      out.error = `page requested another origin: ${log.foreignRequests.join(' ')}`;
    }
  } catch (err) {
    out.error = String(err.message || err).split('\n')[0];
    // What the page had reached before it failed, if it can still tell.
    if (page && !state?.firstPageMs) {
      state = (await page.evaluate(() => window.__wiregasm).catch(() => null)) || state;
    }
  } finally {
    const mem = sampler.stop();
    out.peak_renderer_mb = mem.peakMb;
    out.peak_renderer_largest_mb = mem.peakLargestMb;
    out.memory_samples = mem.samples;
    await browser.close().catch(() => {});
    server.close();
  }

  if (state) {
    out.frames = state.frames;
    out.startup_ms = round(state.startupMs);
    out.first_page_ms = round(state.firstPageMs);
    out.read_ms = round(state.readMs);
    out.load_ms = round(state.loadedMs);
    out.rows = state.rows;
    out.read_mode = state.readMode;
    out.wireshark_version = state.version;
    out.prefs = state.prefs;
    out.log_lines = state.logLines;
    if (state.notes?.length) out.notes = state.notes;
    if (out.error && state.log?.length) out.log_tail = state.log.slice(-5);
  }
  if (out.first_page_ms) out.mb_per_s = round(fileBytes / 1e6 / (out.first_page_ms / 1000));
  out.date = new Date().toISOString();
  out.cpus = os.cpus().length;
  out.load_avg_1m_before = loadBefore; // other work on the machine skews the times
  console.log(JSON.stringify(out));
  clearTimeout(hard);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
