#!/usr/bin/env node
// node bench/wiregasm/gen-small-frames.mjs OUT FRAMES
// Writes a pcap of FRAMES minimal frames (60 bytes each: Ethernet II, IPv4, UDP, 18 bytes of
// payload; ports vary) to probe Wiregasm's frame-count limit without a multi-GiB file:
// 5 million frames make a 380 MB file.
import fs from 'node:fs';

const [out, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!out || !Number.isInteger(count) || count <= 0) {
  console.error('usage: node bench/wiregasm/gen-small-frames.mjs OUT FRAMES');
  process.exit(2);
}

const FRAME = 60;
const RECORD = 16 + FRAME;
const header = Buffer.alloc(24);
header.writeUInt32LE(0xa1b2c3d4, 0); // microsecond pcap, little-endian
header.writeUInt16LE(2, 4);
header.writeUInt16LE(4, 6);
header.writeUInt32LE(65535, 16); // snaplen
header.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET

function ipChecksum(buf, start) {
  let sum = 0;
  for (let i = start; i < start + 20; i += 2) sum += buf.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

const fd = fs.openSync(out, 'w');
fs.writeSync(fd, header);
const BATCH = 65536;
const buf = Buffer.alloc(BATCH * RECORD);
for (let first = 0; first < count; first += BATCH) {
  const n = Math.min(BATCH, count - first);
  buf.fill(0);
  for (let j = 0; j < n; j++) {
    const i = first + j;
    const r = j * RECORD;
    buf.writeUInt32LE(1700000000 + Math.floor(i / 1e6), r);
    buf.writeUInt32LE(i % 1e6, r + 4);
    buf.writeUInt32LE(FRAME, r + 8);
    buf.writeUInt32LE(FRAME, r + 12);
    const f = r + 16;
    buf.write('020000000002020000000001', f, 'hex'); // dst, src MAC
    buf.writeUInt16BE(0x0800, f + 12);
    const ip = f + 14;
    buf.writeUInt8(0x45, ip);
    buf.writeUInt16BE(46, ip + 2); // 20 IP + 8 UDP + 18 payload
    buf.writeUInt16BE(i & 0xffff, ip + 4);
    buf.writeUInt8(64, ip + 8);
    buf.writeUInt8(17, ip + 9);
    buf.write('0a000001', ip + 12, 'hex');
    buf.write('0a000002', ip + 16, 'hex');
    buf.writeUInt16BE(ipChecksum(buf, ip), ip + 10);
    const udp = ip + 20;
    buf.writeUInt16BE(20000 + (i % 1000), udp);
    buf.writeUInt16BE(30000, udp + 2);
    buf.writeUInt16BE(26, udp + 4); // checksum 0: none
  }
  fs.writeSync(fd, buf, 0, n * RECORD);
}
fs.closeSync(fd);
