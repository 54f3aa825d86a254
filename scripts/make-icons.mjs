#!/usr/bin/env node
// Draws the app icons (static/icons/icon-192.png, icon-512.png and the
// maskable icon-maskable-512.png) for the web app manifest, with Node's zlib
// only: no image library, no download. The picture is the anatomy's layer
// bar — link, tag, network, transport, payload — and the bytes after the
// datagram in vermillion, on a dark tile (Okabe–Ito colours, as the page).
// The outputs are committed; run `node scripts/make-icons.mjs` after a change.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'static', 'icons');

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const TILE = hex('#16181c');
// [colour, share of the bar's width]: the bar of a 1,518-byte frame, widened.
const BAR = [['#56b4e9', 0.12], ['#e69f00', 0.08], ['#009e73', 0.14], ['#cc79a7', 0.1], ['#b8b8b8', 0.41], ['#d55e00', 0.15]];

const CRC = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

/** RGBA pixels of the icon at `size`; `maskable` shrinks the picture into the maskable safe zone. */
function draw(size, { maskable = false } = {}) {
  const px = Buffer.alloc(size * size * 4);
  const radius = maskable ? 0 : size * 0.18; // maskable icons are cut by the platform
  const inset = maskable ? size * 0.2 : size * 0.14;
  const barTop = size * 0.36;
  const barBottom = size * 0.64;
  const gap = Math.max(1, Math.round(size * 0.012));
  const edges = [];
  let x = inset;
  for (const [c, share] of BAR) {
    const w = (size - 2 * inset) * share;
    edges.push([x, x + w, hex(c)]);
    x += w;
  }
  for (let y = 0; y < size; y++) {
    for (let xx = 0; xx < size; xx++) {
      const i = (y * size + xx) * 4;
      // Rounded tile: outside the corner circles is transparent.
      const cx = Math.min(Math.max(xx + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      if (Math.hypot(xx + 0.5 - cx, y + 0.5 - cy) > radius) continue;
      let rgb = TILE;
      const seg = edges.find(([a, b]) => xx + 0.5 >= a && xx + 0.5 < b - gap);
      if (seg && y + 0.5 >= barTop && y + 0.5 < barBottom) rgb = seg[2];
      // An underline beneath the last segment: the bytes Framelens explains.
      const last = edges[edges.length - 1];
      if (xx + 0.5 >= last[0] && xx + 0.5 < last[1] - gap && y + 0.5 >= barBottom + size * 0.06 && y + 0.5 < barBottom + size * 0.1) {
        rgb = last[2];
      }
      px[i] = rgb[0];
      px[i + 1] = rgb[1];
      px[i + 2] = rgb[2];
      px[i + 3] = 255;
    }
  }
  return px;
}

function png(size, opts) {
  const px = draw(size, opts);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) px.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

fs.mkdirSync(out, { recursive: true });
for (const [name, size, opts] of [['icon-192.png', 192, {}], ['icon-512.png', 512, {}], ['icon-maskable-512.png', 512, { maskable: true }]]) {
  fs.writeFileSync(path.join(out, name), png(size, opts));
  console.log(`static/icons/${name}`);
}
