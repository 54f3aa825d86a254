// Content-Security-Policy end to end. index.html ships the policy as a <meta>;
// here the built page must carry it with no inline script, the app must run
// under it without a single violation (loaded as shipped, and with the same
// policy also sent as an HTTP header, which is what puts the scan worker under
// it), and the policy must refuse what it is there to refuse: a fetch to another
// origin (a second server on 127.0.0.2 that must see no request), an inline
// script, eval(). Only 127.0.0.0/8 is ever contacted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { distDir, repoRoot, startServer, useApp } from './lib.mjs';

// The policy of index.html. Changing it there means changing it here, on purpose.
const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
  "connect-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; " +
  "object-src 'none'; base-uri 'none'; form-action 'none'";

const examples = path.join(repoRoot, 'static', 'examples');
const builtHtml = () => fs.readFileSync(path.join(distDir, 'index.html'), 'utf8');
const metaPolicy = (html) =>
  html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/i)?.[1];

const app = useApp(); // serves dist/ as shipped: the policy comes from the <meta> only
let withHeader; // the same dist/, every response also carrying the policy as a header
let foreign; // another origin: http://127.0.0.2:PORT, records what reaches it

before(async () => {
  withHeader = await startServer(distDir, { headers: { 'content-security-policy': metaPolicy(builtHtml()) } });
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url);
    res.writeHead(200, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' }).end('x');
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.2', resolve);
  });
  foreign = {
    origin: `http://127.0.0.2:${server.address().port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
});

after(async () => {
  await withHeader?.close();
  await foreign?.close();
});

/**
 * A page with no request routing (so nothing but the policy stops a request), recording
 * securitypolicyviolation events (window.__violations), console messages about the
 * Content Security Policy, and uncaught errors.
 */
async function openApp(server, { bypassCSP = false } = {}) {
  const context = await app.browser.newContext({ viewport: { width: 1000, height: 700 }, bypassCSP });
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => window.__violations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }),
      true,
    );
  });
  const page = await context.newPage();
  const log = { cspConsole: [], pageErrors: [] };
  page.on('console', (msg) => {
    if (/content[- ]security[- ]policy/i.test(msg.text())) log.cspConsole.push(msg.text());
  });
  page.on('pageerror', (err) => log.pageErrors.push(String(err)));
  await page.goto(server.url, { waitUntil: 'load' });
  await page.locator('[data-testid=drop-zone]').waitFor({ state: 'visible', timeout: 15_000 });
  return { page, context, log };
}

const violations = (page) => page.evaluate(() => window.__violations);

/** Waits (briefly) for a violation of `directive`; violation events are queued, not synchronous. */
async function violationOf(page, directive) {
  await page
    .waitForFunction((d) => window.__violations.some((v) => v.directive === d), directive, { timeout: 2_000 })
    .catch(() => {});
  return (await violations(page)).filter((v) => v.directive === directive);
}

/** Drops an example capture on the drop zone, as a browser does, and waits for the scan. */
async function dropExample(page, name) {
  const bytes = [...fs.readFileSync(path.join(examples, name))];
  await page.evaluate(([data, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(data)], name, { type: 'application/vnd.tcpdump.pcap' }));
    const target = document.querySelector('[data-testid=drop-zone]');
    for (const type of ['dragenter', 'dragover', 'drop']) {
      target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }
  }, [bytes, name]);
  await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
}

/** Every declaration of every style="" attribute, with what the browser computed for it. */
const styleAttributes = (page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('[style]')].flatMap((el) =>
      el.getAttribute('style').split(';').filter((d) => d.includes(':')).map((d) => {
        const [prop, value] = d.split(':').map((s) => s.trim());
        return { prop, value, computed: getComputedStyle(el).getPropertyValue(prop) };
      }),
    ),
  );

/** fetch() from the page; resolves to 'ok' or the error it rejected with. */
const fetchFrom = (page, url) =>
  page.evaluate((u) => fetch(u).then((r) => `ok ${r.status}`, (e) => `rejected: ${e}`), url);

test('dist/index.html carries the policy first in <head> and has no inline script', () => {
  const html = builtHtml().replace(/<!--[\s\S]*?-->/g, ''); // comments may name tags
  assert.equal(metaPolicy(html), POLICY);
  const head = html.slice(html.indexOf('<head>'), html.indexOf('</head>'));
  const csp = head.indexOf('http-equiv="Content-Security-Policy"');
  for (const tag of ['<script', '<link rel="stylesheet"', '<link rel="modulepreload"', '<style']) {
    const at = head.indexOf(tag);
    assert.ok(at === -1 || at > csp, `${tag} before the policy`);
  }
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length >= 1, 'the app is started by a script');
  for (const [tag, attrs, body] of scripts) {
    assert.match(attrs, /\ssrc="\/[^"/][^"]*"/, `script without a same-origin src: ${tag.slice(0, 80)}`);
    assert.equal(body.trim(), '', `inline script body: ${body.slice(0, 80)}`);
  }
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler attribute');
  const directives = Object.fromEntries(POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['connect-src'], ["'self'"]);
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
});

for (const [mode, server] of [
  ['as shipped (<meta> only)', () => app.server],
  ['with the policy also as a header (covers the worker)', () => withHeader],
]) {
  test(`${mode}: load, drop an example, pick one from the menu, select a frame: no violations`, async () => {
    const { page, context, log } = await openApp(server());
    try {
      await dropExample(page, '802.1ad_QinQ.pcap');
      await page.locator('[data-testid=frame-row][data-frame="2"]').click();
      await page.locator('[data-testid=anatomy][data-frame="2"]').waitFor({ timeout: 10_000 });
      // The example menu fetches from the origin (connect-src 'self').
      await page.locator('[data-testid=examples]').selectOption('two-bytes.pcap');
      await page.locator('[data-testid=summary][data-complete=true]').waitFor({ timeout: 15_000 });
      await page.evaluate(() => { location.hash = '#frame=1'; });
      await page.locator('[data-testid=anatomy][data-frame="1"]').waitFor({ timeout: 10_000 });
      assert.ok(page.workers().length >= 1, 'the scan worker runs');
      // Yew's style="" attributes (list heights, anatomy widths) apply: style-src-attr.
      const styles = await styleAttributes(page);
      assert.ok(styles.length > 0, 'the app sets style attributes');
      for (const s of styles) assert.equal(s.computed, s.value, `${s.prop}:${s.value} not applied`);
      await page.waitForTimeout(200);
      assert.deepEqual(await violations(page), [], 'securitypolicyviolation events');
      assert.deepEqual(log.cspConsole, [], 'console messages about the Content Security Policy');
      assert.deepEqual(log.pageErrors, [], 'uncaught page errors');
    } finally {
      await context.close();
    }
  });
}

test('a fetch to another origin (127.0.0.2) is refused by the policy and never sent', async () => {
  const { page, context } = await openApp(app.server);
  try {
    const url = `${foreign.origin}/x`;
    assert.match(await fetchFrom(page, url), /^rejected: TypeError/);
    const refused = await violationOf(page, 'connect-src');
    assert.equal(refused.length, 1, JSON.stringify(await violations(page)));
    assert.equal(refused[0].blocked, url);
    assert.deepEqual(foreign.requests, [], 'requests that reached the other origin');
  } finally {
    await context.close();
  }
  // Control: the same fetch with the policy bypassed does reach the server,
  // so the refusal above was the policy's, not the network's.
  const control = await openApp(app.server, { bypassCSP: true });
  try {
    assert.equal(await fetchFrom(control.page, `${foreign.origin}/control`), 'ok 200');
    assert.deepEqual(foreign.requests, ['/control']);
  } finally {
    foreign.requests.length = 0;
    await control.context.close();
  }
});

test('an injected inline script and eval() do not run', async () => {
  const { page, context } = await openApp(app.server);
  try {
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true;';
      document.body.append(s);
    });
    const refused = await violationOf(page, 'script-src-elem');
    assert.equal(await page.evaluate(() => window.__ran), undefined, 'the inline script ran');
    assert.equal(refused.length, 1, JSON.stringify(await violations(page)));
    assert.equal(refused[0].blocked, 'inline');
    // eval() run inside page.evaluate is let through by DevTools, so call it from a
    // task of the page's own (a timer), where the policy applies as to any script.
    await page.evaluate(() => setTimeout(() => {
      try { window.__eval = String(eval('1 + 1')); } catch (e) { window.__eval = String(e); }
    }));
    await page.waitForFunction(() => window.__eval !== undefined);
    assert.match(await page.evaluate(() => window.__eval), /^EvalError/);
    assert.equal((await violationOf(page, 'script-src')).length, 1, JSON.stringify(await violations(page)));
  } finally {
    await context.close();
  }
});

test('the worker is under the policy only when it is sent as a header', async () => {
  // A <meta> policy applies to the document; a worker takes its policy from its own
  // response. Shipped as <meta> only, the worker can reach another origin; with the
  // header it cannot. (index.html says so: hosts should send the header too.)
  const url = (tag) => `${foreign.origin}/from-worker-${tag}`;
  try {
    for (const [tag, server, expect] of [
      ['meta', app.server, /^ok 200$/],
      ['header', withHeader, /^rejected: TypeError/],
    ]) {
      const { page, context } = await openApp(server);
      try {
        await dropExample(page, 'udpPacketWithEthernetTrailers.pcap');
        const [worker] = page.workers();
        assert.ok(worker, 'the scan worker runs');
        const got = await worker.evaluate((u) => fetch(u).then((r) => `ok ${r.status}`, (e) => `rejected: ${e}`), url(tag));
        assert.match(got, expect, tag);
      } finally {
        await context.close();
      }
    }
    assert.deepEqual(foreign.requests, ['/from-worker-meta'], 'only the meta-only worker reached the other origin');
  } finally {
    foreign.requests.length = 0;
  }
});
