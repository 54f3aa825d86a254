//! Writes a story's captures and its [`Truth`] together: each frame is
//! recorded with the packet it shows, the frames of each file are written in
//! timestamp order, and the truth's frame numbers are those of the files as
//! written, so a story's generator never counts frames by hand.

use super::truth::{Direction, FrameRef, PointName, Story, TrueClock, TruePacket, Truth};
use crate::craft::{PcapWriter, PcapngWriter};

/// `epb_flags` inbound (pcapng section 4.3, bits 0–1).
pub const INBOUND: u32 = 1;
/// `epb_flags` outbound.
pub const OUTBOUND: u32 = 2;

/// A capture point of a [`Recorder`]: a file and one of its interfaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    file: usize,
    interface: u32,
}

/// A packet of a [`Recorder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketId(usize);

struct Event {
    ts_ns: u64,
    interface: u32,
    data: Vec<u8>,
    flags: u32,
    packet: PacketId,
}

struct File {
    name: String,
    /// `None`: a classic pcap (interface "0"); else the pcapng interfaces' names.
    interfaces: Option<Vec<String>>,
    events: Vec<Event>,
    /// Clock against the reference: (offset at the file's first frame, ppb).
    clock: (i64, i64),
}

/// Collects frames of several files, each labelled with its packet.
#[derive(Default)]
pub struct Recorder {
    files: Vec<File>,
    packets: Vec<(Direction, Option<(Point, Point)>)>,
}

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// A classic pcap file (Ethernet, nanosecond timestamps): one point, interface "0".
    pub fn pcap(&mut self, name: &str) -> Point {
        self.files.push(File { name: name.to_string(), interfaces: None, events: Vec::new(), clock: (0, 0) });
        Point { file: self.files.len() - 1, interface: 0 }
    }

    /// A pcapng file with one Ethernet interface per name, in this order.
    pub fn pcapng(&mut self, name: &str, interfaces: &[&str]) -> Vec<Point> {
        let names = interfaces.iter().map(|s| s.to_string()).collect();
        self.files.push(File { name: name.to_string(), interfaces: Some(names), events: Vec::new(), clock: (0, 0) });
        let file = self.files.len() - 1;
        (0..interfaces.len() as u32).map(|interface| Point { file, interface }).collect()
    }

    /// States the clock of `point`'s file for the truth (see [`TrueClock`]);
    /// the generator is the one to stamp frames accordingly.
    pub fn clock(&mut self, point: Point, offset_ns: i64, rate_ppb: i64) {
        self.files[point.file].clock = (offset_ns, rate_ppb);
    }

    /// A new packet going `direction` along the story's path.
    pub fn packet(&mut self, direction: Direction) -> PacketId {
        self.packets.push((direction, None));
        PacketId(self.packets.len() - 1)
    }

    /// `packet` was last seen at `last` and never at `next`, which was capturing.
    pub fn lost(&mut self, packet: PacketId, last: Point, next: Point) {
        self.packets[packet.0].1 = Some((last, next));
    }

    /// `point` captured `data` (whole, on the wire as long) at `ts_ns` on its
    /// file's clock, showing `packet`; `flags` is `epb_flags` (ignored in pcap).
    pub fn frame(&mut self, packet: PacketId, point: Point, ts_ns: u64, data: Vec<u8>, flags: u32) {
        let interface = point.interface;
        self.files[point.file].events.push(Event { ts_ns, interface, data, flags, packet });
    }

    /// The name a user sees for `point`.
    pub fn name(&self, point: Point) -> PointName {
        let f = &self.files[point.file];
        let interface = match &f.interfaces {
            Some(names) => names[point.interface as usize].clone(),
            None => point.interface.to_string(),
        };
        PointName::new(&f.name, &interface)
    }

    /// Writes every file (frames in timestamp order, ties in recording
    /// order) and the truth; `path` lists every point in the direction of
    /// the story's first packet, its first point's file being the reference.
    pub fn finish(mut self, name: &'static str, path: &[Point]) -> Story {
        let mut frames: Vec<Vec<FrameRef>> = vec![Vec::new(); self.packets.len()];
        let mut files = Vec::new();
        let mut clocks = Vec::new();
        for f in &mut self.files {
            f.events.sort_by_key(|e| e.ts_ns);
            for (i, e) in f.events.iter().enumerate() {
                frames[e.packet.0].push(FrameRef { file: f.name.clone(), frame: i as u64 + 1 });
            }
            let bytes = match &f.interfaces {
                None => {
                    let mut w = PcapWriter::new(1, 262_144);
                    for e in &f.events {
                        w.push(e.ts_ns, &e.data, e.data.len() as u32);
                    }
                    w.into_bytes()
                }
                Some(names) => {
                    let mut w = PcapngWriter::new();
                    for n in names {
                        w.interface(1, n, None);
                    }
                    for e in &f.events {
                        w.packet(e.interface, e.ts_ns, &e.data, e.data.len() as u32, e.flags);
                    }
                    w.into_bytes()
                }
            };
            files.push((f.name.clone(), bytes));
            clocks.push(TrueClock { file: f.name.clone(), offset_ns: f.clock.0, rate_ppb: f.clock.1 });
        }
        let packets = self
            .packets
            .iter()
            .zip(frames)
            .map(|(&(direction, lost), frames)| TruePacket {
                frames,
                direction,
                lost: lost.map(|(a, b)| (self.name(a), self.name(b))),
            })
            .collect();
        let path = path.iter().map(|&p| self.name(p)).collect();
        Story { name, files, truth: Truth { path, packets, clocks } }
    }
}

/// Rewrites an IPv4 header's identification, flags (DF, MF) and fragment
/// offset (in 8-byte units) and recomputes its checksum; `ip` starts with
/// the header.
pub fn set_ipv4_fields(ip: &mut [u8], ident: u16, dont_fragment: bool, more_fragments: bool, offset_units: u16) {
    ip[4..6].copy_from_slice(&ident.to_be_bytes());
    let flags = (u16::from(dont_fragment) << 14) | (u16::from(more_fragments) << 13);
    ip[6..8].copy_from_slice(&(flags | (offset_units & 0x1fff)).to_be_bytes());
    ip[10..12].copy_from_slice(&[0, 0]);
    let header = usize::from(ip[0] & 0x0f) * 4;
    let ck = crate::frame::vendor::internet_checksum_of(&ip[..header]);
    ip[10..12].copy_from_slice(&ck.to_be_bytes());
}

/// What tests of a story read back from its captures.
#[cfg(test)]
pub mod check {
    use super::*;
    use crate::capture::{CaptureReader, OwnedFrame};
    use std::collections::{BTreeMap, BTreeSet};

    /// Every file's frames, each with its point, read with the capture
    /// reader; panics on a read error.
    pub fn read(story: &Story) -> BTreeMap<String, Vec<(PointName, OwnedFrame)>> {
        let mut out = BTreeMap::new();
        for (name, bytes) in &story.files {
            let mut frames = Vec::new();
            let mut r = CaptureReader::new();
            let err = r.push(bytes, |p| frames.push(OwnedFrame::from_packet(&p))).and_then(|_| r.finish()).err();
            assert!(err.is_none(), "{name}: {err:?}");
            let ifs = r.interfaces();
            let named = frames
                .into_iter()
                .map(|f| {
                    let i = ifs.get(f.interface as usize).and_then(|i| i.name.clone());
                    (PointName::new(name, &i.unwrap_or(f.interface.to_string())), f)
                })
                .collect();
            out.insert(name.clone(), named);
        }
        out
    }

    /// The frame `r` names, with its point.
    pub fn frame<'a>(
        files: &'a BTreeMap<String, Vec<(PointName, OwnedFrame)>>,
        r: &FrameRef,
    ) -> &'a (PointName, OwnedFrame) {
        &files[&r.file][r.frame as usize - 1]
    }

    /// The truth's own invariants: every frame of every file in exactly one
    /// packet, every point of a frame or a loss on the path, one clock per
    /// file with the reference at 0, packets' frames in path order of
    /// their direction.
    pub fn truth_is_whole(story: &Story) {
        let files = read(story);
        let t = &story.truth;
        let mut seen = BTreeSet::new();
        for p in &t.packets {
            assert!(!p.frames.is_empty());
            for r in &p.frames {
                let n = files.get(&r.file).map_or(0, |f| f.len() as u64);
                assert!(r.frame >= 1 && r.frame <= n, "{r:?} is not a frame of the story");
                assert!(seen.insert(r.clone()), "{r:?} is in two packets");
                assert!(t.path.contains(&frame(&files, r).0), "{r:?} is at a point off the path");
            }
            if let Some((a, b)) = &p.lost {
                assert!(t.path.contains(a) && t.path.contains(b) && a != b);
            }
        }
        let total: usize = files.values().map(Vec::len).sum();
        assert_eq!(seen.len(), total, "every frame is in a packet");
        let points: BTreeSet<_> = t.path.iter().collect();
        assert_eq!(points.len(), t.path.len(), "no point twice on the path");
        let clock_files: BTreeSet<_> = t.clocks.iter().map(|c| c.file.clone()).collect();
        assert_eq!(clock_files, files.keys().cloned().collect(), "one clock per file");
        let reference = t.clocks.iter().find(|c| c.file == t.path[0].file).expect("reference clock");
        assert_eq!((reference.offset_ns, reference.rate_ppb), (0, 0));
    }

    /// An IPv4 datagram inside an Ethernet frame (no VLAN): (header, the
    /// datagram up to its total length).
    pub fn ipv4(frame: &[u8]) -> Option<&[u8]> {
        if frame.len() < 34 || frame[12..14] != [0x08, 0x00] {
            return None;
        }
        let ip = &frame[14..];
        let total = usize::from(u16::from_be_bytes([ip[2], ip[3]]));
        ip.get(..total)
    }

    /// An IPv4 header's (identification, DF, MF, offset in bytes).
    pub fn fragment_fields(ip: &[u8]) -> (u16, bool, bool, usize) {
        let w = u16::from_be_bytes([ip[6], ip[7]]);
        (u16::from_be_bytes([ip[4], ip[5]]), w & 0x4000 != 0, w & 0x2000 != 0, usize::from(w & 0x1fff) * 8)
    }

    /// What a packet carries at one point, whatever it was cut into there:
    /// the IP payload reassembled from fragments, or a TCP segment's
    /// sequence number and payload joined from consecutive segments, or the
    /// whole frame when it is not IPv4.
    pub fn content(frames: &[&[u8]]) -> (u8, u32, Vec<u8>) {
        let ips: Vec<&[u8]> = frames.iter().filter_map(|f| ipv4(f)).collect();
        if ips.len() != frames.len() {
            assert_eq!(frames.len(), 1, "a packet of several frames is IPv4");
            return (0, 0, frames[0].to_vec());
        }
        for ip in &ips {
            let hl = usize::from(ip[0] & 0x0f) * 4;
            assert_eq!(crate::frame::vendor::internet_checksum_of(&ip[..hl]), 0, "IPv4 header checksum verifies");
        }
        let proto = ips[0][9];
        let fragmented = ips.iter().any(|ip| {
            let (_, _, mf, off) = fragment_fields(ip);
            mf || off > 0
        });
        if fragmented || proto != 6 {
            let mut parts: Vec<(usize, bool, &[u8])> = ips
                .iter()
                .map(|ip| {
                    let (_, _, mf, off) = fragment_fields(ip);
                    (off, mf, &ip[usize::from(ip[0] & 0x0f) * 4..])
                })
                .collect();
            parts.sort_by_key(|p| p.0);
            let ids: BTreeSet<_> = ips.iter().map(|ip| fragment_fields(ip).0).collect();
            assert_eq!(ids.len(), 1, "fragments share an IP ID");
            let mut out = Vec::new();
            for (i, (off, mf, data)) in parts.iter().enumerate() {
                assert_eq!(*off, out.len(), "fragments leave no hole");
                assert_eq!(*mf, i + 1 < parts.len(), "MF on all fragments but the last");
                out.extend_from_slice(data);
            }
            return (proto, 0, out);
        }
        let mut segs: Vec<(u32, &[u8])> = ips
            .iter()
            .map(|ip| {
                let tcp = &ip[usize::from(ip[0] & 0x0f) * 4..];
                let seq = u32::from_be_bytes([tcp[4], tcp[5], tcp[6], tcp[7]]);
                (seq, &tcp[usize::from(tcp[12] >> 4) * 4..])
            })
            .collect();
        segs.sort_by_key(|s| s.0);
        let mut out = Vec::new();
        for (seq, data) in &segs {
            assert_eq!(seq.wrapping_sub(segs[0].0) as usize, out.len(), "segments follow each other");
            out.extend_from_slice(data);
        }
        (proto, segs[0].0, out)
    }

    /// Every packet carries the same at every point that saw it: fragments
    /// reassemble, TSO super-frames and GRO merges equal their segments.
    pub fn same_content_everywhere(story: &Story) {
        let files = read(story);
        for p in &story.truth.packets {
            let mut at: BTreeMap<PointName, Vec<&[u8]>> = BTreeMap::new();
            for r in &p.frames {
                let (point, f) = frame(&files, r);
                at.entry(point.clone()).or_default().push(&f.data);
            }
            let contents: BTreeSet<_> = at.values().map(|fs| content(fs)).collect();
            assert_eq!(contents.len(), 1, "one content at every point: {p:?}");
        }
    }
}
