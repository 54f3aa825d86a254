//! Checks the tests of the stories share: every frame of every file read
//! back with its point, the truth held to the files (each frame in exactly
//! one packet, packets along the path, clocks), and what a packet carries
//! and its checksums.

use super::build::checksum6;
use super::truth::{Direction, FrameRef, PointName, Story, TruePacket};
use crate::capture::{CaptureReader, OwnedFrame};
use crate::frame::dissect::{dissect, Dissection};
use crate::frame::vendor::internet_checksum_of;
use crate::wire::link::LinkKind;
use crate::wire::{sll2, Layer};
use std::collections::{BTreeMap, BTreeSet};

/// Every file's frames in order, each with its point, by file name.
pub type Frames = BTreeMap<String, Vec<(PointName, OwnedFrame)>>;

/// Every frame of `bytes` with its point's interface as the truth names
/// it: the pcapng `if_name`, a Linux cooked v2 header's ifindex, or the
/// interface number; read with the streaming reader, panics on a read error.
pub fn points(bytes: &[u8]) -> Vec<(String, OwnedFrame)> {
    let mut r = CaptureReader::new();
    let mut out = Vec::new();
    r.push(bytes, |p| {
        let name = match p.interface_description().and_then(|i| i.name.clone()) {
            Some(n) => n,
            None if p.link_type.kind() == LinkKind::LinuxSll2 => sll2::ifindex(p.data).to_string(),
            None => p.interface.to_string(),
        };
        out.push((name, OwnedFrame::from_packet(&p)))
    })
    .expect("reads");
    r.finish().expect("ends cleanly");
    out
}

/// Every frame of `bytes`, as [`points`] reads them.
pub fn frames(bytes: &[u8]) -> Vec<OwnedFrame> {
    points(bytes).into_iter().map(|(_, f)| f).collect()
}

/// Every file's frames, each with its point.
pub fn read(story: &Story) -> Frames {
    let named = |name: &String, bytes| points(bytes).into_iter().map(|(i, f)| (PointName::new(name, &i), f)).collect();
    story.files.iter().map(|(name, bytes)| (name.clone(), named(name, bytes))).collect()
}

/// The frame `r` names, with its point.
pub fn frame<'a>(files: &'a Frames, r: &FrameRef) -> &'a (PointName, OwnedFrame) {
    &files[&r.file][r.frame as usize - 1]
}

/// What every story must hold to, `make` being its generator: it makes the
/// same story each time, every frame is in exactly one packet, the packets
/// go along the path ([`assert_along_path`]), every file scans cleanly.
/// Returns the story.
pub fn assert_sound(make: fn() -> Story) -> Story {
    let story = make();
    let again = make();
    assert_eq!((&story.files, &story.truth), (&again.files, &again.truth), "deterministic");
    assert_covered_once(&story);
    assert_along_path(&story);
    assert_scans_cleanly(&story);
    story
}

/// Every frame of every file is in exactly one packet, and no packet names
/// a frame the files lack or has none.
pub fn assert_covered_once(story: &Story) {
    let mut seen: BTreeMap<FrameRef, usize> = BTreeMap::new();
    for p in &story.truth.packets {
        assert!(!p.frames.is_empty(), "a packet without frames");
        for f in &p.frames {
            *seen.entry(f.clone()).or_default() += 1;
        }
    }
    let mut expected = 0;
    for (name, bytes) in &story.files {
        let n = frames(bytes).len() as u64;
        expected += n;
        for frame in 1..=n {
            let r = FrameRef { file: name.clone(), frame };
            assert_eq!(seen.get(&r), Some(&1), "{r:?} is in exactly one packet");
        }
    }
    assert_eq!(seen.len() as u64, expected, "the truth names no frame the files lack");
}

/// The points captured are the path's; the points that saw a packet, in
/// the order its frames first show them, are in the path's order for its
/// direction; a lost packet's furthest point is its `lost.0`, and `lost.1`
/// is the next point that way;
/// packets are in the order first seen on the reference clock, the first
/// going Out; one clock per file, the reference's that of `path[0]`'s file.
/// Returns the points.
pub fn assert_along_path(story: &Story) -> BTreeSet<PointName> {
    let files = read(story);
    let t = &story.truth;
    let seen: BTreeSet<PointName> = files.values().flatten().map(|(p, _)| p.clone()).collect();
    let path: BTreeSet<PointName> = t.path.iter().cloned().collect();
    assert_eq!(seen, path, "every point captured is on the path and the other way round");
    assert_eq!(path.len(), t.path.len(), "no point twice on the path");
    let index = |p: &PointName| t.path.iter().position(|q| q == p).expect("on the path");
    for p in &t.packets {
        let mut at: Vec<usize> = Vec::new(); // the points in the order they first saw it
        for i in p.frames.iter().map(|r| index(&frame(&files, r).0)) {
            if !at.contains(&i) {
                at.push(i);
            }
        }
        let mut along = at.clone();
        match p.direction {
            Direction::Out => along.sort(),
            Direction::Back => along.sort_by(|a, b| b.cmp(a)),
        }
        assert_eq!(at, along, "points first seeing it in path order for its direction: {p:?}");
        if let Some((last, next)) = &p.lost {
            assert_eq!(Some(&index(last)), at.last(), "{p:?}");
            let step = if p.direction == Direction::Out { 1 } else { -1 };
            assert_eq!(index(next) as isize - index(last) as isize, step, "{p:?}");
        }
    }
    let names: Vec<&String> = story.files.iter().map(|(n, _)| n).collect();
    let clocks: Vec<&String> = t.clocks.iter().map(|c| &c.file).collect();
    assert_eq!(names, clocks, "one clock per file");
    let reference = t.clocks.iter().find(|c| c.file == t.path[0].file);
    assert_eq!(reference.map(|c| (c.offset_ns, c.rate_ppb)), Some((0, 0)), "path[0]'s file is the reference");
    // The first packet, on the reference clock, goes Out: it sets the path's direction.
    let ts = |r: &FrameRef| frame(&files, r).1.timestamp_ns.unwrap_or(0);
    let on_reference = |r: &FrameRef| {
        let clock = t.clocks.iter().find(|c| c.file == r.file).expect("a clock");
        clock.reference_ns(ts(r), ts(&FrameRef { file: r.file.clone(), frame: 1 }))
    };
    let first_seen = |p: &TruePacket| p.frames.iter().map(on_reference).min().unwrap_or(i64::MAX);
    let firsts: Vec<i64> = t.packets.iter().map(first_seen).collect();
    assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "packets in the order first seen");
    assert!(firsts.len() < 2 || firsts[0] < firsts[1], "one first packet");
    assert_eq!(t.packets[0].direction, Direction::Out);
    seen
}

/// The single-file scan of every file: no error, every frame read.
pub fn assert_scans_cleanly(story: &Story) {
    for (name, bytes) in &story.files {
        let mut n = 0u64;
        let summary = crate::scan::scan_bytes(bytes, crate::settings::Settings::default(), |_| n += 1);
        assert_eq!(summary.error, None, "{name} scans without error");
        assert_eq!(n, frames(bytes).len() as u64, "{name}: every frame scanned");
    }
}

/// Dissects a frame read back from a capture.
pub fn dissected(f: &OwnedFrame) -> Dissection {
    dissect(&f.data, f.link_type, f.original_len)
}

/// Recomputes every IPv4 header checksum and every TCP, UDP and ICMPv6
/// checksum (with its pseudo-header) the dissection finds, tunnels
/// included; returns how many were checked.
pub fn assert_checksums(data: &[u8], d: &Dissection) -> usize {
    let mut checked = 0;
    let mut ip: Option<(Layer, usize, usize)> = None; // (layer, start, datagram end)
    for h in &d.headers {
        let (start, len) = (h.start as usize, h.len as usize);
        match h.layer {
            Layer::Ipv4 => {
                assert_eq!(internet_checksum_of(&data[start..start + len]), 0, "IPv4 header at {start}");
                let total = usize::from(u16::from_be_bytes([data[start + 2], data[start + 3]]));
                ip = Some((Layer::Ipv4, start, start + total));
                checked += 1;
            }
            Layer::Ipv6 => {
                let payload = usize::from(u16::from_be_bytes([data[start + 4], data[start + 5]]));
                ip = Some((Layer::Ipv6, start, start + 40 + payload));
            }
            Layer::Tcp | Layer::Udp | Layer::Icmpv6 => {
                let (layer, ip_start, end) = ip.expect("a transport inside IP");
                let end = end.min(data.len());
                let next = match h.layer {
                    Layer::Tcp => 6,
                    Layer::Udp => 17,
                    _ => 58,
                };
                if h.layer == Layer::Udp && data[start + 6..start + 8] == [0, 0] && layer == Layer::Ipv4 {
                    continue; // no checksum: legal over IPv4
                }
                let seg = &data[start..end];
                let sum = if layer == Layer::Ipv4 {
                    let mut pseudo = data[ip_start + 12..ip_start + 20].to_vec();
                    pseudo.extend_from_slice(&[0, next]);
                    pseudo.extend_from_slice(&(seg.len() as u16).to_be_bytes());
                    pseudo.extend_from_slice(seg);
                    internet_checksum_of(&pseudo)
                } else {
                    let mut src = [0; 16];
                    let mut dst = [0; 16];
                    src.copy_from_slice(&data[ip_start + 8..ip_start + 24]);
                    dst.copy_from_slice(&data[ip_start + 24..ip_start + 40]);
                    checksum6(src, dst, next, seg)
                };
                assert_eq!(sum, 0, "{:?} checksum at {start}", h.layer);
                checked += 1;
            }
            _ => {}
        }
    }
    checked
}

/// An IPv4 datagram inside an Ethernet frame (no VLAN): the header and
/// the datagram up to its total length.
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
        assert_eq!(internet_checksum_of(&ip[..hl]), 0, "IPv4 header checksum verifies");
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
