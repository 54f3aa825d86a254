// Main thread of the Wiregasm harness. Wiregasm itself runs in worker.js (a dedicated
// worker, as a real app would run it, so the page stays responsive); this side only starts
// the worker, hands it the chosen File and records times.
//
// window.__wiregasm is what bench/wiregasm/run.mjs reads:
//   phase          'starting' | 'ready' | 'reading' | 'loading' | 'firstPage' | 'error'
//   version        Wireshark version Wiregasm reports
//   startupMs      page navigation start -> Wiregasm initialised (wasm fetched and compiled,
//                  .data package mounted, lib.init() done, dissectors registered)
//   fileBytes      size of the chosen file
//   readMs         file chosen -> its bytes are in Wiregasm's in-memory file system
//   loadedMs       file chosen -> DissectSession.load() returned (Wireshark dissects the
//                  whole file here, as sharkd's "load" does)
//   firstPageMs    file chosen -> getFrames('', 0, 100) returned the first 100 rows
//   frames         packet_count from load()'s summary
//   matched        `matched` from getFrames (frames passing the empty filter)
//   rows           rows in the first page; columns: column titles
//   readMode       'whole' (File.arrayBuffer + FS.writeFile, as Wiregasm's README does) or
//                  'chunks' (16 MiB slices written through FS.write, used only when the
//                  whole-file read fails, e.g. for files over 2 GiB; ?chunks=0 turns
//                  that fallback off, and the failure is then the result)
//   error          null, or the failure message
//   log            Wiregasm's own stdout/stderr/status lines (last 200); logLines: how many
//   prefs          Wireshark preferences set from the page's query (?pref=MODULE.NAME:VALUE)
const state = {
  phase: 'starting',
  version: null,
  startupMs: null,
  fileBytes: null,
  readMs: null,
  loadedMs: null,
  firstPageMs: null,
  frames: null,
  matched: null,
  rows: null,
  columns: null,
  readMode: null,
  notes: [],
  error: null,
  log: [],
  logLines: 0,
  prefs: new URLSearchParams(location.search).getAll('pref'),
};
window.__wiregasm = state;

const input = document.getElementById('file');
const statusEl = document.getElementById('status');
const resultEl = document.getElementById('result');
const rowsEl = document.getElementById('rows');
let chosenAt = null;

function show(text) {
  statusEl.textContent = text;
  resultEl.textContent = JSON.stringify({ ...state, log: undefined }, null, 2);
}

function fail(message) {
  if (state.phase === 'error') return;
  state.error = String(message);
  state.phase = 'error';
  show(`Failed: ${state.error}`);
}

function renderRows(columns, rows) {
  rowsEl.replaceChildren();
  const head = rowsEl.insertRow();
  for (const c of ['No.', ...columns]) {
    const th = document.createElement('th');
    th.textContent = c;
    head.append(th);
  }
  for (const r of rows) {
    const tr = rowsEl.insertRow();
    for (const c of [r.number, ...r.columns]) tr.insertCell().textContent = c;
  }
}

// Classic worker (wiregasm.js is a UMD script); the page's query (?pref=...) goes with it.
const worker = new Worker(`worker.js${location.search}`);
worker.onerror = (e) => fail(`worker error: ${e.message || e}`);
worker.onmessage = ({ data }) => {
  const now = performance.now();
  switch (data.type) {
    case 'log':
      state.logLines += 1;
      state.log.push(data.line);
      if (state.log.length > 200) state.log.shift();
      return;
    case 'ready':
      state.startupMs = now; // performance.now() counts from navigation start
      state.version = data.version;
      state.columns = data.columns;
      state.phase = 'ready';
      input.disabled = false;
      show(`Wiregasm ${data.version} ready in ${now.toFixed(0)} ms. Choose a capture.`);
      return;
    case 'note':
      state.notes.push(data.text);
      return;
    case 'read':
      state.readMs = now - chosenAt;
      state.readMode = data.mode;
      state.phase = 'loading';
      show('Wiregasm is loading the capture…');
      return;
    case 'loaded':
      state.loadedMs = now - chosenAt;
      state.frames = data.frames;
      show(`Loaded ${data.frames} frames; fetching the first page…`);
      return;
    case 'firstPage':
      state.firstPageMs = now - chosenAt;
      state.matched = data.matched;
      state.rows = data.rows.length;
      state.phase = 'firstPage';
      renderRows(state.columns || [], data.rows);
      show(`First page of ${data.matched} frames after ${state.firstPageMs.toFixed(0)} ms.`);
      return;
    case 'error':
      fail(data.message);
      return;
  }
};

input.addEventListener('change', () => {
  const file = input.files[0];
  if (!file) return;
  chosenAt = performance.now();
  state.fileBytes = file.size;
  state.phase = 'reading';
  show(`Reading ${file.name} (${file.size} bytes)…`);
  worker.postMessage({ type: 'open', file });
});
