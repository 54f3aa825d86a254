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

#[cfg(test)]
mod tests {
    use super::super::check;
    use super::*;

    const T0: u64 = 1_700_000_000_000_000_000;

    #[test]
    fn a_drifting_clock_stamps_frames_as_the_truth_states_it() {
        let mut r = Recorder::new();
        let reference = r.pcap("ref.pcap", 1);
        let drifting = r.pcapng("drift.pcapng", &["eth0"])[0];
        r.clock(drifting, 2_000_000, 50_000);
        let instants = [T0 + 7, T0 + 1_000_000_000, T0 + 600_000_000_123];
        for t in instants {
            let p = r.packet(Direction::Out);
            r.frame(p, reference, t, vec![0; 60], 0);
            r.frame(p, drifting, t, vec![0; 60], INBOUND);
        }
        let story = r.finish("drift", &[reference, drifting]);
        let files = check::read(&story);
        let clock = &story.truth.clocks[1];
        let ts: Vec<i64> = files["drift.pcapng"].iter().map(|(_, f)| f.timestamp_ns.unwrap()).collect();
        assert_eq!(ts[0], (T0 + 7) as i64 + 2_000_000, "the offset at the file's first frame");
        for (t, &stamped) in instants.iter().zip(&ts) {
            assert!((clock.reference_ns(stamped, ts[0]) - *t as i64).abs() <= 1, "{stamped} is {t} on the reference");
        }
        assert!(ts[2] - (instants[2] as i64) > 31_000_000, "50 ppm over ten minutes: 30 ms more");
    }

    #[test]
    fn points_by_ifindex_frames_on_the_file_clock_and_packets_in_the_order_first_seen() {
        let mut r = Recorder::new();
        let any = r.pcap("any.pcap", 276);
        let (veth, nic) = (r.ifindex(any, 14), r.ifindex(any, 2));
        let far = r.pcapng("far.pcapng", &["ens5"])[0];
        r.clock(far, 500, 0);
        let cooked = |ifindex| super::super::build::sll2(0x0800, ifindex, 0, [2; 6], &[0; 46]);
        let late = r.packet(Direction::Back);
        r.frame_on_file_clock(late, far, T0 + 2_500, vec![0; 60], OUTBOUND);
        r.frame(late, nic, T0 + 2_100, cooked(2), 0);
        r.lost(late, nic, veth);
        let early = r.packet(Direction::Out);
        r.frame(early, veth, T0, cooked(14), 0);
        r.frame(early, nic, T0 + 10, cooked(2), 0);
        r.frame_on_file_clock(early, far, T0 + 1_500, vec![0; 60], INBOUND);
        let story = r.finish("ifindex", &[veth, nic, far]);
        let names: Vec<_> = story.truth.path.iter().map(|p| p.interface.as_str()).collect();
        assert_eq!(names, ["14", "2", "ens5"]);
        let at = |file: &str, frame| FrameRef { file: file.to_string(), frame };
        let t = &story.truth;
        assert_eq!(t.packets[0].frames, [at("any.pcap", 1), at("any.pcap", 2), at("far.pcapng", 1)]);
        assert_eq!(t.packets[1].frames, [at("far.pcapng", 2), at("any.pcap", 3)], "along its way");
        assert_eq!(t.packets[1].lost, Some((t.path[1].clone(), t.path[0].clone())));
        check::assert_covered_once(&story);
        check::assert_along_path(&story);
    }
}
