// Peak renderer memory of a Chromium launched by playwright-core (Linux only).
//
// Usage:
//   import { startMemorySampler } from '../bench/lib/memory.mjs';
//   const browser = await launchBrowser();            // e2e/lib.mjs, or chromium.launch(...)
//   const sampler = await startMemorySampler(browser); // starts sampling at once
//   ... open the page, do the work ...
//   const { peakMb, samples } = sampler.stop();       // stop before browser.close()
//
// startMemorySampler(browser, { intervalMs = 100 }) resolves to { stop, current }:
//   current() -> { mb, pids, largestMb }  one sample taken now (does not change the peak)
//   stop()    -> { peakMb, peakAtMs, peakPids, peakLargestMb, samples, lastMb, intervalMs }
//     peakMb         the largest sum seen, in MB (10^6 bytes)
//     peakAtMs       when it was seen, ms after startMemorySampler resolved
//     peakPids       how many renderer processes made up that sum
//     peakLargestMb  the largest single renderer process seen (in practice the page's own
//                    renderer: the idle spare renderer stays near 78 MB)
//     samples        how many samples were taken
//     lastMb         the last sample
//
// How it measures:
//   1. Once, at start, it asks the browser over CDP (Browser.newBrowserCDPSession,
//      SystemInfo.getProcessInfo) for the PID of its "browser" process. That ties the
//      sampler to this browser only: other Chromium instances on the machine (other
//      engineers' tests) are never counted.
//   2. Every intervalMs (default 100 ms) it scans /proc/*/stat for every descendant of that
//      PID (renderers are children of the zygote, itself a child of the browser process) and
//      keeps those whose /proc/<pid>/cmdline has `--type=renderer`, except
//      `--top-chrome-webui` and `--extension-process` ones (Chromium's own UI, no web page).
//      A page, its dedicated workers and their WebAssembly memories all live in the page's
//      renderer process, so they are included; the browser, GPU, network and utility
//      processes are not. With one page open there are two: the page's renderer and the
//      spare renderer Chromium keeps ready for the next site (~78 MB, idle).
//   3. It sums VmRSS from /proc/<pid>/status over those renderer processes; the sample is that
//      sum, and the peak is the largest sample. Processes that exit between the scan and the
//      read are skipped.
//   Caveats: RSS is resident memory only (a wasm memory's untouched reservation does not
//   count); the sum includes the idle spare renderer (~78 MB) and counts pages shared between
//   renderers (libraries, fonts) once per renderer: peakLargestMb is the page's renderer
//   alone. A peak that lasts less than intervalMs can be missed. Sampling runs synchronously
//   on Node's event loop (idle while Playwright waits on the page), a few ms per sample.
import fs from 'node:fs';

/** Read one /proc file, or null if the process has gone. */
function readProc(path) {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Map pid -> parent pid for every process visible in /proc. */
function parentMap() {
  const parents = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProc(`/proc/${name}/stat`);
    if (!stat) continue;
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parents.set(Number(name), Number(rest[1]));
  }
  return parents;
}

// Renderers that show Chromium's own UI, not web pages: left out of the sum.
const NOT_WEB_CONTENT = new Set(['--top-chrome-webui', '--extension-process']);

/** PIDs of the web-content renderer processes below `rootPid`. */
export function rendererPids(rootPid) {
  const parents = parentMap();
  const children = new Map();
  for (const [pid, ppid] of parents) {
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(pid);
  }
  const out = [];
  const stack = [...(children.get(rootPid) || [])];
  while (stack.length) {
    const pid = stack.pop();
    stack.push(...(children.get(pid) || []));
    // Chromium rewrites its command line into one space-separated string, so match words.
    const words = (readProc(`/proc/${pid}/cmdline`) || '').split(/[\s\0]+/);
    if (words.includes('--type=renderer') && !words.some((w) => NOT_WEB_CONTENT.has(w))) {
      out.push(pid);
    }
  }
  return out;
}

/** VmRSS of one process in bytes, or 0 if it has gone. */
export function rssBytes(pid) {
  const status = readProc(`/proc/${pid}/status`);
  const m = status && /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

/** PID of the browser process of a playwright-core Chromium `Browser`. */
export async function browserPid(browser) {
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await cdp.send('SystemInfo.getProcessInfo');
    const main = processInfo.find((p) => p.type === 'browser');
    if (!main) throw new Error('SystemInfo.getProcessInfo listed no browser process');
    return main.id;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Start sampling the summed VmRSS of `browser`'s renderer processes every `intervalMs`.
 * See the comment at the top of this file for what is measured and the returned API.
 */
export async function startMemorySampler(browser, { intervalMs = 100 } = {}) {
  const root = await browserPid(browser);
  const started = performance.now();
  let peak = { mb: 0, atMs: 0, pids: 0 };
  let largestMb = 0;
  let samples = 0;
  let lastMb = 0;

  const current = () => {
    const pids = rendererPids(root);
    let total = 0;
    let largest = 0;
    for (const pid of pids) {
      const rss = rssBytes(pid);
      total += rss;
      largest = Math.max(largest, rss);
    }
    return { mb: total / 1e6, pids: pids.length, largestMb: largest / 1e6 };
  };
  const tick = () => {
    const s = current();
    samples += 1;
    lastMb = s.mb;
    largestMb = Math.max(largestMb, s.largestMb);
    if (s.mb > peak.mb) peak = { mb: s.mb, atMs: performance.now() - started, pids: s.pids };
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref(); // never keeps Node alive on its own

  let result = null;
  return {
    current,
    stop() {
      if (!result) {
        clearInterval(timer);
        tick();
        result = {
          peakMb: Math.round(peak.mb * 10) / 10,
          peakAtMs: Math.round(peak.atMs),
          peakPids: peak.pids,
          peakLargestMb: Math.round(largestMb * 10) / 10,
          samples,
          lastMb: Math.round(lastMb * 10) / 10,
          intervalMs,
        };
      }
      return result;
    },
  };
}
