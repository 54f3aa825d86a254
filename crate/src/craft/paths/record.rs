//! Writes a story's captures and its [`Truth`] together: each frame is
//! recorded with the packet it shows, the frames of each file are written in
//! timestamp order, and the truth's frame numbers are those of the files as
//! written, so a story's generator never counts frames by hand.
//!
//! A file is a classic pcap of any link type (its points named by a number:
//! `0`, or a Linux cooked v2 record's ifindex) or a pcapng with named
//! Ethernet interfaces, and has a clock against the reference (an offset and
//! a rate, as [`TrueClock`] states them). A frame is stamped either on the
//! reference clock ([`Recorder::frame`], the recorder applies the file's
//! clock) or on its file's own clock ([`Recorder::frame_on_file_clock`]).

use super::truth::{Direction, FrameRef, PointName, Story, TrueClock, TruePacket, Truth};
use crate::craft::{PcapWriter, PcapngWriter};

/// `epb_flags` inbound (pcapng section 4.3, bits 0–1).
pub const INBOUND: u32 = 1;
/// `epb_flags` outbound.
pub const OUTBOUND: u32 = 2;

/// A capture point of a [`Recorder`]: a file, and its pcapng interface or
/// the number that names the point of a pcap (`0`, or an ifindex).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    file: usize,
    interface: u32,
}

/// A packet of a [`Recorder`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PacketId(usize);

/// When a frame was captured: an instant of the reference clock, or a
/// timestamp of its file's own clock.
#[derive(Clone, Copy)]
enum Stamp {
    Reference(u64),
    File(u64),
}

struct Frame {
    point: Point,
    stamp: Stamp,
    data: Vec<u8>,
    flags: u32,
    packet: PacketId,
}

enum Format {
    /// A classic pcap of this link type.
    Pcap(u16),
    /// A pcapng with these Ethernet interfaces' names.
    Pcapng(Vec<String>),
}

struct File {
    name: String,
    format: Format,
    clock: TrueClock,
}

/// Collects the frames of several files, each labelled with its packet.
#[derive(Default)]
pub struct Recorder {
    files: Vec<File>,
    /// In the order recorded: each packet's along its way.
    frames: Vec<Frame>,
    packets: Vec<(Direction, Option<(Point, Point)>)>,
}

const NS_PER_S: i128 = 1_000_000_000;

impl Recorder {
    pub fn new() -> Self {
        Self::default()
    }

    fn add(&mut self, name: &str, format: Format) -> usize {
        let clock = TrueClock { file: name.to_string(), offset_ns: 0, rate_ppb: 0 };
        self.files.push(File { name: name.to_string(), format, clock });
        self.files.len() - 1
    }

    /// A classic pcap file of `link_type` (nanosecond timestamps): its point "0".
    pub fn pcap(&mut self, name: &str, link_type: u16) -> Point {
        Point { file: self.add(name, Format::Pcap(link_type)), interface: 0 }
    }

    /// The point of `pcap`'s file (Linux cooked v2) that `ifindex` names.
    pub fn ifindex(&self, pcap: Point, ifindex: u32) -> Point {
        assert!(matches!(self.files[pcap.file].format, Format::Pcap(_)), "an ifindex names a point of a pcap");
        Point { file: pcap.file, interface: ifindex }
    }

    /// A pcapng file with one Ethernet interface per name, in this order.
    pub fn pcapng(&mut self, name: &str, interfaces: &[&str]) -> Vec<Point> {
        let names = interfaces.iter().map(|s| s.to_string()).collect();
        let file = self.add(name, Format::Pcapng(names));
        (0..interfaces.len() as u32).map(|interface| Point { file, interface }).collect()
    }

    /// Sets the clock of `point`'s file against the reference (see
    /// [`TrueClock`]): the truth states it, and [`Recorder::frame`] stamps by it.
    pub fn clock(&mut self, point: Point, offset_ns: i64, rate_ppb: i64) {
        let clock = &mut self.files[point.file].clock;
        (clock.offset_ns, clock.rate_ppb) = (offset_ns, rate_ppb);
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

    /// `point` captured `data` (whole, on the wire as long) at the instant
    /// `reference_ns` of the reference clock, showing `packet`; its file's
    /// clock gives the timestamp. `flags` is `epb_flags` (ignored in pcap).
    pub fn frame(&mut self, packet: PacketId, point: Point, reference_ns: u64, data: Vec<u8>, flags: u32) {
        self.frames.push(Frame { point, stamp: Stamp::Reference(reference_ns), data, flags, packet });
    }

    /// As [`Recorder::frame`], with `ts_ns` the timestamp on the file's own clock.
    pub fn frame_on_file_clock(&mut self, packet: PacketId, point: Point, ts_ns: u64, data: Vec<u8>, flags: u32) {
        self.frames.push(Frame { point, stamp: Stamp::File(ts_ns), data, flags, packet });
    }

    /// A packet of one frame going `direction`: seen at `point` only.
    pub fn lone_frame(&mut self, direction: Direction, point: Point, reference_ns: u64, data: Vec<u8>, flags: u32) {
        let p = self.packet(direction);
        self.frame(p, point, reference_ns, data, flags);
    }

    /// The name a user sees for `point`.
    pub fn name(&self, point: Point) -> PointName {
        let f = &self.files[point.file];
        match &f.format {
            Format::Pcapng(names) => PointName::new(&f.name, &names[point.interface as usize]),
            Format::Pcap(_) => PointName::new(&f.name, &point.interface.to_string()),
        }
    }

    /// Each frame of file `file` (by its index in `self.frames`) with its
    /// timestamp and its instant on the reference clock. A drifting clock
    /// counts from the file's first timestamp, so a drifting file's frames
    /// are all stamped on one clock.
    fn times(&self, file: usize) -> Vec<(usize, u64, i128)> {
        let clock = &self.files[file].clock;
        let mine: Vec<(usize, Stamp)> =
            self.frames.iter().enumerate().filter(|(_, f)| f.point.file == file).map(|(i, f)| (i, f.stamp)).collect();
        let first_reference =
            mine.iter().filter_map(|(_, s)| if let Stamp::Reference(r) = s { Some(*r) } else { None }).min();
        let on_file_clock = mine.iter().any(|(_, s)| matches!(s, Stamp::File(_)));
        assert!(
            clock.rate_ppb == 0 || first_reference.is_none() || !on_file_clock,
            "{}: a drifting file's frames are stamped on one clock",
            clock.file
        );
        // ts − reference = offset + rate × (ts − first ts) / 10⁹, solved for
        // ts and rounded to the nearest nanosecond.
        let file_ns = |reference: u64, first: u64| {
            let since = i128::from(reference) - i128::from(first);
            let per = NS_PER_S - i128::from(clock.rate_ppb);
            (i128::from(first) + i128::from(clock.offset_ns) + (since * NS_PER_S * 2 + per).div_euclid(2 * per)) as u64
        };
        let stamped: Vec<(usize, u64, Option<u64>)> = mine
            .iter()
            .map(|&(i, s)| match s {
                Stamp::Reference(r) => (i, file_ns(r, first_reference.unwrap_or(r)), Some(r)),
                Stamp::File(ts) => (i, ts, None),
            })
            .collect();
        let first_ts = stamped.iter().map(|s| s.1).min().unwrap_or(0);
        stamped
            .into_iter()
            .map(|(i, ts, reference)| {
                let reference =
                    reference.map_or_else(|| clock.reference_ns(ts as i64, first_ts as i64).into(), i128::from);
                (i, ts, reference)
            })
            .collect()
    }

    /// Writes every file (frames in timestamp order, ties in recording
    /// order) and the truth: its packets in the order first seen on the
    /// reference clock (ties in the order made), each packet's frames in
    /// the order recorded. `path` lists every point in the direction of the
    /// story's first packet, its first point's file being the reference.
    pub fn finish(self, name: &'static str, path: &[Point]) -> Story {
        let mut numbered: Vec<Option<FrameRef>> = vec![None; self.frames.len()];
        let mut first_seen = vec![i128::MAX; self.packets.len()];
        let mut files = Vec::new();
        for (file, f) in self.files.iter().enumerate() {
            let mut times = self.times(file);
            times.sort_by_key(|&(i, ts, _)| (ts, i));
            let bytes = match &f.format {
                Format::Pcap(link_type) => {
                    let mut w = PcapWriter::new(*link_type, 262_144);
                    for &(i, ts, _) in &times {
                        let data = &self.frames[i].data;
                        w.push(ts, data, data.len() as u32);
                    }
                    w.into_bytes()
                }
                Format::Pcapng(names) => {
                    let mut w = PcapngWriter::new();
                    for n in names {
                        w.interface(1, n, None);
                    }
                    for &(i, ts, _) in &times {
                        let e = &self.frames[i];
                        w.packet(e.point.interface, ts, &e.data, e.data.len() as u32, e.flags);
                    }
                    w.into_bytes()
                }
            };
            for (n, &(i, _, reference)) in times.iter().enumerate() {
                numbered[i] = Some(FrameRef { file: f.name.clone(), frame: n as u64 + 1 });
                let first = &mut first_seen[self.frames[i].packet.0];
                *first = (*first).min(reference);
            }
            files.push((f.name.clone(), bytes));
        }
        let mut frames: Vec<Vec<FrameRef>> = vec![Vec::new(); self.packets.len()];
        for (e, r) in self.frames.iter().zip(numbered) {
            frames[e.packet.0].extend(r);
        }
        let mut packets: Vec<(i128, TruePacket)> = self
            .packets
            .iter()
            .zip(frames)
            .zip(first_seen)
            .map(|((&(direction, lost), frames), first)| {
                let lost = lost.map(|(a, b)| (self.name(a), self.name(b)));
                (first, TruePacket { frames, direction, lost })
            })
            .collect();
        packets.sort_by_key(|(first, _)| *first);
        let packets = packets.into_iter().map(|(_, p)| p).collect();
        let path = path.iter().map(|&p| self.name(p)).collect();
        let clocks = self.files.into_iter().map(|f| f.clock).collect();
        Story { name, files, truth: Truth { path, packets, clocks } }
    }
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
