#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml [[hooks]]): writes the service worker's
// file list and build version into the staged sw.js. The version is a SHA-256
// over every staged file's path and bytes, so any change to the app — its wasm,
// JS, style, examples — gives the worker new bytes, which is what makes a
// browser install it (it compares the worker script only, never the files it
// caches). Trunk cannot give this: with `filehash = false` its file names carry
// no hash, and its SRI hashes cover only the files it links.
// Run by Trunk with TRUNK_STAGING_DIR set; `node scripts/precache.mjs DIR` by hand.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('usage: precache.mjs DIR (or run as a Trunk hook)');
const SW = 'sw.js';

function walk(rel = '') {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]))
    .sort();
}

// Dotfiles (static/.gitkeep) are not the app's.
const files = walk().filter((f) => f !== SW && !f.split('/').some((p) => p.startsWith('.')));
if (!files.includes('index.html')) throw new Error(`${dir}: no index.html`);
const hash = crypto.createHash('sha256');
for (const f of files) {
  hash.update(`${f}\0`);
  hash.update(fs.readFileSync(path.join(dir, f)));
  hash.update('\0');
}
const version = hash.digest('hex').slice(0, 16);
const swPath = path.join(dir, SW);
const sw = fs.readFileSync(swPath, 'utf8');
const line = /^const BUILD = .*;$/m;
if (!line.test(sw)) throw new Error(`${swPath}: no "const BUILD = …;" line`);
fs.writeFileSync(swPath, sw.replace(line, `const BUILD = ${JSON.stringify({ version, files })};`));
console.log(`sw.js: build ${version}, ${files.length} files`);
