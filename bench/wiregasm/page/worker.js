// Dedicated worker of the Wiregasm harness: starts Wiregasm, then opens the File the page
// posts, with the library's own API (as in its README and dist/types.d.ts):
//   loadWiregasm({ locateFile }) -> lib; lib.init(); lib.FS.writeFile(uploads/NAME, bytes);
//   new lib.DissectSession(path).load(); session.getFrames(filter, skip, limit).
// The server (run.mjs) maps /wiregasm/ to node_modules/@goodtools/wiregasm/dist/.
'use strict';

const PAGE_ROWS = 100;
const CHUNK = 16 * 1024 * 1024;
// worker.js?chunks=0: no fallback to chunked writes when the whole-file read fails.
const ALLOW_CHUNKS = new URLSearchParams(self.location.search).get('chunks') !== '0';

const post = (msg) => self.postMessage(msg);
const log = (line) => post({ type: 'log', line: String(line) });

importScripts('/wiregasm/wiregasm.js'); // defines the global loadWiregasm

function toArray(vec) {
  const out = [];
  for (let i = 0; i < vec.size(); i++) out.push(vec.get(i));
  return out;
}

function describe(err) {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

let lib = null;
let session = null;

const ready = loadWiregasm({
  locateFile: (file) => `/wiregasm/${file}`,
  print: (text) => log(text),
  printErr: (text) => log(`stderr: ${text}`),
  handleStatus: (type, text) => log(`status ${type}: ${text}`),
  onAbort: (what) => post({ type: 'error', message: `Wiregasm aborted: ${what}` }),
}).then((loaded) => {
  lib = loaded;
  if (!lib.init()) throw new Error('lib.init() returned false');
  // Optional Wireshark preferences, tshark's -o syntax: worker.js?pref=tcp.analyze_sequence_numbers:FALSE
  const prefs = new URLSearchParams(self.location.search).getAll('pref');
  for (const pref of prefs) {
    const m = /^([^.]+)\.([^:]+):(.*)$/.exec(pref);
    if (!m) throw new Error(`bad preference ${pref}: want MODULE.NAME:VALUE`);
    const res = lib.setPref(m[1], m[2], m[3]);
    if (res.code !== 0) throw new Error(`setPref ${pref} failed: code ${res.code} ${res.error}`);
  }
  if (prefs.length) lib.applyPreferences();
  const columnsVec = lib.getColumns();
  const columns = toArray(columnsVec);
  columnsVec.delete?.();
  post({ type: 'ready', version: lib.wiresharkVersion(), columns });
});
ready.catch((err) => post({ type: 'error', message: `start-up failed: ${describe(err)}` }));

/** Put the File's bytes at `path` in Wiregasm's MEMFS; returns 'whole' or 'chunks'. */
async function writeCapture(file, path) {
  let bytes = null;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch (err) {
    const why = `File.arrayBuffer() failed (${describe(err)})`;
    if (!ALLOW_CHUNKS) throw new Error(why);
    post({ type: 'note', text: `${why}; writing 16 MiB chunks` });
  }
  if (bytes) {
    lib.FS.writeFile(path, bytes);
    return 'whole';
  }
  const stream = lib.FS.open(path, 'w');
  try {
    for (let offset = 0; offset < file.size; offset += CHUNK) {
      const chunk = new Uint8Array(await file.slice(offset, offset + CHUNK).arrayBuffer());
      lib.FS.write(stream, chunk, 0, chunk.length, offset);
    }
  } finally {
    lib.FS.close(stream);
  }
  return 'chunks';
}

async function open(file) {
  await ready;
  const path = `${lib.getUploadDirectory()}/capture`;
  const mode = await writeCapture(file, path);
  post({ type: 'read', mode });

  session = new lib.DissectSession(path);
  const res = session.load();
  if (res.code !== 0) {
    throw new Error(`load() returned code ${res.code}: ${res.error || '(no message)'}`);
  }
  post({ type: 'loaded', frames: res.summary.packet_count });

  const page = session.getFrames('', 0, PAGE_ROWS);
  const rows = toArray(page.frames).map((meta) => {
    const row = { number: meta.number, columns: toArray(meta.columns) };
    meta.columns.delete?.();
    return row;
  });
  page.frames.delete?.();
  post({ type: 'firstPage', matched: page.matched, rows });
}

self.onmessage = ({ data }) => {
  if (data.type !== 'open') return;
  open(data.file).catch((err) => post({ type: 'error', message: describe(err) }));
};
