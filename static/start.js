// Starts the web app. Trunk would inject this as an inline <script type="module">,
// which the Content-Security-Policy in index.html forbids (script-src has no
// 'unsafe-inline' and no hash), so Trunk.toml's `pattern_script` emits
//   <script type="module" src="/static/start.js" data-js="…" data-wasm="…">
// instead; the file names come from Trunk through those attributes.
// Does what Trunk 0.21's default initializer does.
const tag = document.querySelector('script[data-js][data-wasm]');
const bindings = await import(tag.dataset.js);
const wasm = await bindings.default({ module_or_path: tag.dataset.wasm });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));

// Offline and installable: the service worker (../sw.js, at the app's root)
// keeps this build's own files for when there is no network. Not an error
// where it cannot run (a plain-http host other than localhost, a private window).
if ('serviceWorker' in navigator) {
  navigator.serviceWorker
    .register(new URL('../sw.js', import.meta.url), { updateViaCache: 'none' })
    .catch((e) => console.warn(`Framelens works online only here: ${e}`));
}
