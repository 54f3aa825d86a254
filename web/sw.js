// Framelens service worker: once the page has been opened, the app works with
// no network at all. Copied to the root of dist/ (index.html's copy-file link)
// so that its scope is the whole app; registered by static/start.js.
//
// What it stores: exactly the files of one build (index.html, the two wasm
// binaries and their JS, the worker loader, start.js, style.css, the manifest
// and icons, the examples), fetched on install into one cache named after the
// build. Never anything else: a capture the user drops or picks is a File the
// page reads itself (no request at all), and a request for anything not in
// the list goes to the network and is not stored.
//
// Versioned by the build: the line below is rewritten by scripts/precache.mjs
// (a Trunk post_build hook) with the list of files and a hash of their bytes.
// A browser checks this script for changes on every navigation; a new build
// changes its bytes, so the new worker installs, fills its own cache, takes
// over, and deletes the old build's cache.
const BUILD = { version: 'unbuilt', files: [] };

const PREFIX = 'framelens-';
const CACHE = `${PREFIX}${BUILD.version}`;
const scope = new URL(self.registration.scope);
const INDEX = new URL('index.html', scope).href;
const OWN = new Set(BUILD.files.map((f) => new URL(f, scope).href));

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      // Not built through Trunk (no file list): cache nothing, serve nothing.
      if (OWN.size === 0) return;
      const cache = await caches.open(CACHE);
      // cache: 'reload' takes every file from the server, not from the HTTP cache.
      await cache.addAll([...OWN].map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) {
        if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== scope.origin) return;
  // The page itself ("/", "/?…"; the #fragment never reaches here) is index.html.
  const key =
    request.mode === 'navigate' && url.pathname === scope.pathname ? INDEX : `${url.origin}${url.pathname}`;
  if (!OWN.has(key)) return; // not one of the app's files: the network, uncached
  event.respondWith(
    (async () => {
      // (match with cacheName, not caches.open: an old worker must not recreate its deleted cache)
      const hit = await caches.match(key, { cacheName: CACHE });
      return hit ?? fetch(request);
    })(),
  );
});
