//! Story 4, clocks: three hosts' captures of ten minutes of pings, one clock 40 s ahead and one
//! drifting 50 ppm, with queueing, losses and look-alike pings (facts: /work/shared/DOMAIN.md "The
//! same packet at several capture points" for offsets from hosts without NTP and their estimation
//! from both directions, "Paths in Kubernetes and other overlays" for 50 ppm = 3 ms a minute;
//! RFC 792 for echo id/seq/data, which a reply repeats; RFC 791 for TTL − 1 at a router).
//!
//! `A → B → C`, B routing between two links:
//!
//! - `a.pcap` interface `0`: host A, the reference clock.
//! - `b.pcapng` `eth0` (towards A) and `eth1` (towards C): router B, whose clock is 40 s and
//!   317 µs ahead of A's (bad NTP), without drift.
//! - `c.pcapng` `ens3`: host C, 2 ms ahead of A at its first frame and drifting 50 ppm, so
//!   32 ms ahead ten minutes later.
//!
//! A pings C once a second for ten minutes (600 pings, 56 bytes, id [`A_PING_ID`]). Of those,
//! [`LOST_AT_B`] die inside B (seen on `eth0`, never on `eth1`), the replies to
//! [`LOST_BACK`] die on the link from C (seen by C, never by B), and the requests of
//! [`QUEUED`] wait 600–690 ms in B's queue towards C. From 100 s to 160 s B pings C too, with
//! the same id, sequence numbers and data as A's pings of that second, 300 ms after them:
//! look-alikes that differ only by source address, IP ID and time, each a packet of its own.
//! One-way delays are symmetric: A–B 150 µs, B–C 180 µs, 40 µs through B.
//!
//! The clocks are exact to the nanosecond as [`TrueClock`] states them, `t` and `t0` read on
//! the file's own clock ([`c_clock`]). 4,998 frames, 1,315 packets.
//!
//! [`TrueClock`]: super::truth::TrueClock

use super::record::{Point, Recorder, INBOUND, OUTBOUND};
use super::truth::{Direction, Story};
use super::{ethernet, Body, Datagram};
use std::ops::Range;

pub const A_IP: [u8; 4] = [10, 1, 0, 10];
pub const B_IP_A_SIDE: [u8; 4] = [10, 1, 0, 1];
pub const B_IP_C_SIDE: [u8; 4] = [10, 2, 0, 1];
pub const C_IP: [u8; 4] = [10, 2, 0, 20];
const A_MAC: [u8; 6] = [0x3c, 0xec, 0xef, 0x0a, 0x00, 0x0a];
const B_ETH0_MAC: [u8; 6] = [0x00, 0x0d, 0xb9, 0x51, 0x00, 0x01];
const B_ETH1_MAC: [u8; 6] = [0x00, 0x0d, 0xb9, 0x51, 0x00, 0x02];
const C_MAC: [u8; 6] = [0x52, 0x54, 0x00, 0x0c, 0x00, 0x14];
/// The echo identifier of A's pings, and of B's look-alikes.
pub const A_PING_ID: u16 = 0x1d1d;
/// Pings A sends, one a second.
pub const PINGS: usize = 600;
/// A's pings (0-based) that B drops between `eth0` and `eth1`.
pub const LOST_AT_B: [usize; 5] = [77, 233, 419, 420, 555];
/// A's pings whose reply is lost between C and B's `eth1`.
pub const LOST_BACK: [usize; 4] = [48, 312, 470, 501];
/// A's pings whose request waits 600 ms + 10 ms × (i − 300) in B's queue towards C.
pub const QUEUED: Range<usize> = 300..310;
/// Seconds in which B also pings C, copying A's ping of that second.
pub const LOOKALIKE: Range<usize> = 100..160;
/// B's clock against A's.
pub const B_AHEAD_NS: i64 = 40_000_317_000;
/// C's clock against A's at C's first frame.
pub const C_AHEAD_AT_FIRST_NS: i64 = 2_000_000;
/// C's drift against A's clock, parts per billion.
pub const C_RATE_PPB: i64 = 50_000;
/// One-way delays (ns) from A's NIC to B's `eth0`, through B, and from B's `eth1` to C.
pub const A_TO_B_NS: u64 = 150_000;
pub const THROUGH_B_NS: u64 = 40_000;
pub const B_TO_C_NS: u64 = 180_000;
/// How long C takes to answer.
const C_TURNAROUND_NS: u64 = 45_000;
/// 2025-06-02 14:00:00 UTC on A's clock.
const T0: u64 = 1_748_872_800_000_000_000;

/// When A sends ping `i`, on A's clock: once a second, up to 1 ms late.
pub fn a_sends_ns(i: usize) -> u64 {
    T0 + i as u64 * 1_000_000_000 + (i as u64 * 7919 % 1000) * 1000
}

/// C's first frame: A's first ping, on A's clock.
const C_FIRST_ON_A: u64 = T0 + A_TO_B_NS + THROUGH_B_NS + B_TO_C_NS;

/// C's timestamp of an instant `t` of A's clock, so that C's timestamp less
/// A's is [`C_AHEAD_AT_FIRST_NS`] + [`C_RATE_PPB`] × (C's timestamp − C's
/// first timestamp) / 10⁹, both read on C's clock as [`TrueClock`] has it
/// (reading them on A's clock instead differs by rate², 1.5 µs at 600 s).
///
/// [`TrueClock`]: super::truth::TrueClock
pub fn c_clock(t: u64) -> u64 {
    let c_first = i128::from(C_FIRST_ON_A) + i128::from(C_AHEAD_AT_FIRST_NS);
    let since = i128::from(t) - i128::from(C_FIRST_ON_A);
    let scaled = (since * 1_000_000_000 * 2 + (1_000_000_000 - i128::from(C_RATE_PPB)))
        .div_euclid(2 * (1_000_000_000 - i128::from(C_RATE_PPB)));
    (c_first + scaled) as u64
}

/// B's timestamp of an instant `t` of A's clock.
fn b_clock(t: u64) -> u64 {
    (t as i64 + B_AHEAD_NS) as u64
}

fn echo(request: bool, src: [u8; 4], dst: [u8; 4], ip_id: u16, seq: u16) -> Datagram {
    Datagram {
        src,
        dst,
        ttl: 64,
        ident: ip_id,
        dont_fragment: request,
        body: Body::Echo { request, ident: A_PING_ID, seq, payload: 56 },
    }
}

fn eth(dst: [u8; 6], src: [u8; 6], d: &Datagram) -> Vec<u8> {
    ethernet(dst, src, &[], 0x0800, &d.bytes(), &[])
}

/// Story 4: see the module's documentation.
pub fn clocks() -> Story {
    let mut rec = Recorder::new();
    let a = rec.pcap("a.pcap");
    let b = rec.pcapng("b.pcapng", &["eth0", "eth1"]);
    let c = rec.pcapng("c.pcapng", &["ens3"])[0];
    let (b0, b1) = (b[0], b[1]);
    rec.clock(b0, B_AHEAD_NS, 0);
    rec.clock(c, C_AHEAD_AT_FIRST_NS, C_RATE_PPB);
    let stamp = |p: Point, t: u64| {
        if p == a {
            t
        } else if p == c {
            c_clock(t)
        } else {
            b_clock(t)
        }
    };
    let mut c_ip_id = 0x9a00u16;
    for i in 0..PINGS {
        let seq = i as u16 + 1;
        let t = a_sends_ns(i);
        let req = echo(true, A_IP, C_IP, 0x4e20u16.wrapping_add(i as u16), seq);
        let p = rec.packet(Direction::Out);
        rec.frame(p, a, stamp(a, t), eth(B_ETH0_MAC, A_MAC, &req), 0);
        let at_b0 = t + A_TO_B_NS;
        rec.frame(p, b0, stamp(b0, at_b0), eth(B_ETH0_MAC, A_MAC, &req), INBOUND);
        if LOST_AT_B.contains(&i) {
            rec.lost(p, b0, b1);
            continue;
        }
        let queued = if QUEUED.contains(&i) { 600_000_000 + (i - QUEUED.start) as u64 * 10_000_000 } else { 0 };
        let at_b1 = at_b0 + THROUGH_B_NS + queued;
        let routed = req.routed();
        rec.frame(p, b1, stamp(b1, at_b1), eth(C_MAC, B_ETH1_MAC, &routed), OUTBOUND);
        let at_c = at_b1 + B_TO_C_NS;
        rec.frame(p, c, stamp(c, at_c), eth(C_MAC, B_ETH1_MAC, &routed), INBOUND);

        let rep = echo(false, C_IP, A_IP, c_ip_id, seq);
        c_ip_id = c_ip_id.wrapping_add(1);
        let p = rec.packet(Direction::Back);
        let sent = at_c + C_TURNAROUND_NS;
        rec.frame(p, c, stamp(c, sent), eth(B_ETH1_MAC, C_MAC, &rep), OUTBOUND);
        if LOST_BACK.contains(&i) {
            rec.lost(p, c, b1);
            continue;
        }
        let at_b1 = sent + B_TO_C_NS;
        rec.frame(p, b1, stamp(b1, at_b1), eth(B_ETH1_MAC, C_MAC, &rep), INBOUND);
        let at_b0 = at_b1 + THROUGH_B_NS;
        let routed = rep.routed();
        rec.frame(p, b0, stamp(b0, at_b0), eth(A_MAC, B_ETH0_MAC, &routed), OUTBOUND);
        rec.frame(p, a, stamp(a, at_b0 + A_TO_B_NS), eth(A_MAC, B_ETH0_MAC, &routed), 0);

        if LOOKALIKE.contains(&i) {
            // B's own ping, a copy of A's but for its source, IP ID and time.
            let req = echo(true, B_IP_C_SIDE, C_IP, 0x0b00 + (i - LOOKALIKE.start) as u16, seq);
            let p = rec.packet(Direction::Out);
            let t = t + 300_000_000;
            rec.frame(p, b1, stamp(b1, t), eth(C_MAC, B_ETH1_MAC, &req), OUTBOUND);
            let at_c = t + B_TO_C_NS;
            rec.frame(p, c, stamp(c, at_c), eth(C_MAC, B_ETH1_MAC, &req), INBOUND);
            let rep = echo(false, C_IP, B_IP_C_SIDE, c_ip_id, seq);
            c_ip_id = c_ip_id.wrapping_add(1);
            let p = rec.packet(Direction::Back);
            let sent = at_c + C_TURNAROUND_NS;
            rec.frame(p, c, stamp(c, sent), eth(B_ETH1_MAC, C_MAC, &rep), OUTBOUND);
            rec.frame(p, b1, stamp(b1, sent + B_TO_C_NS), eth(B_ETH1_MAC, C_MAC, &rep), INBOUND);
        }
    }
    rec.finish("clocks", &[a, b0, b1, c])
}

#[cfg(test)]
mod tests {
    use super::super::record::check;
    use super::super::truth::{PointName, TruePacket};
    use super::*;
    use crate::capture::OwnedFrame;
    use std::collections::BTreeMap;

    type Files = BTreeMap<String, Vec<(PointName, OwnedFrame)>>;

    /// The packet's (point, timestamp, ICMP bytes) at each point that saw it.
    fn seen(files: &Files, p: &TruePacket) -> Vec<(PointName, i64, Vec<u8>)> {
        p.frames
            .iter()
            .map(|r| {
                let (pt, f) = check::frame(files, r);
                let ip = check::ipv4(&f.data).unwrap();
                (pt.clone(), f.timestamp_ns.unwrap(), ip[20..].to_vec())
            })
            .collect()
    }

    #[test]
    fn every_frame_is_in_exactly_one_packet() {
        let s = clocks();
        check::truth_is_whole(&s);
        let names: Vec<_> = s.truth.path.iter().map(|p| format!("{}:{}", p.file, p.interface)).collect();
        assert_eq!(names, ["a.pcap:0", "b.pcapng:eth0", "b.pcapng:eth1", "c.pcapng:ens3"]);
        let frames: usize = check::read(&s).values().map(Vec::len).sum();
        assert!(frames < 6000, "{frames} frames keep tests fast");
    }

    #[test]
    fn is_deterministic() {
        let (x, y) = (clocks(), clocks());
        assert_eq!(x.files, y.files);
        assert_eq!(x.truth, y.truth);
    }

    #[test]
    fn every_packet_carries_the_same_at_every_point() {
        check::same_content_everywhere(&clocks());
    }

    #[test]
    fn clocks_are_as_claimed_at_start_and_end() {
        let s = clocks();
        let files = check::read(&s);
        let [pa, pb0, _, pc] = &s.truth.path[..] else { panic!("four points") };
        let claim = |file: &str| s.truth.clocks.iter().find(|c| c.file == file).unwrap().clone();
        let (cb, cc) = (claim("b.pcapng"), claim("c.pcapng"));
        assert_eq!((cb.offset_ns, cb.rate_ppb), (B_AHEAD_NS, 0));
        assert_eq!((cc.offset_ns, cc.rate_ppb), (2_000_000, 50_000));
        let c_first = files["c.pcapng"][0].1.timestamp_ns.unwrap();
        // Requests straight through (not queued): C's timestamp less A's less
        // the path's delay is C's offset at that instant.
        let mut offsets = Vec::new();
        for p in s.truth.packets.iter().filter(|p| p.frames.len() == 4 && p.direction == Direction::Out) {
            let v = seen(&files, p);
            let ts = |pt: &PointName| v.iter().find(|(q, _, _)| q == pt).unwrap().1;
            let (ta, tb, tc) = (ts(pa), ts(pb0), ts(pc));
            assert_eq!(tb - ta - A_TO_B_NS as i64, B_AHEAD_NS, "B is 40 s ahead, always");
            let off = tc - ta - (A_TO_B_NS + THROUGH_B_NS + B_TO_C_NS) as i64;
            if off < 100_000_000 {
                let claimed = cc.offset_ns + cc.rate_ppb * (tc - c_first) / 1_000_000_000;
                assert!((off - claimed).abs() <= 1, "C's offset {off} ns, claimed {claimed} ns");
                offsets.push(off);
            }
        }
        assert_eq!(offsets[0], 2_000_000, "C is 2 ms ahead at its first frame");
        let last = *offsets.last().unwrap();
        assert!((31_900_000..=32_000_000).contains(&last), "C is about 32 ms ahead at the end: {last}");
        // Both directions, as NTP estimates it: half the difference of the
        // one-way deltas is the offset when the delays are symmetric.
        let reply = s.truth.packets.iter().find(|p| p.frames.len() == 4 && p.direction == Direction::Back).unwrap();
        let request = &s.truth.packets[0];
        let (q, r) = (seen(&files, request), seen(&files, reply));
        let t = |v: &[(PointName, i64, Vec<u8>)], pt: &PointName| v.iter().find(|(x, _, _)| x == pt).unwrap().1;
        let there = t(&q, pb0) - t(&q, pa);
        let back = t(&r, pa) - t(&r, pb0);
        assert_eq!((there - back) / 2, B_AHEAD_NS);
    }

    #[test]
    fn b_routes_with_ttl_less_one() {
        let s = clocks();
        let files = check::read(&s);
        for p in s.truth.packets.iter().filter(|p| p.frames.len() == 4) {
            let ttls: Vec<u8> =
                p.frames.iter().map(|r| check::ipv4(&check::frame(&files, r).1.data).unwrap()[8]).collect();
            let mut by_path: Vec<(usize, u8)> = p
                .frames
                .iter()
                .zip(ttls)
                .map(|(r, t)| (s.truth.path.iter().position(|q| *q == check::frame(&files, r).0).unwrap(), t))
                .collect();
            by_path.sort();
            if p.direction == Direction::Back {
                by_path.reverse();
            }
            // In the packet's own direction: 64 before B, 63 after.
            assert_eq!(by_path.iter().map(|x| x.1).collect::<Vec<_>>(), [64, 64, 63, 63]);
        }
    }

    #[test]
    fn queued_lost_and_lookalike_packets_are_as_told() {
        let s = clocks();
        let files = check::read(&s);
        let [_, pb0, pb1, pc] = &s.truth.path[..] else { panic!("four points") };
        let mut queued = 0;
        for p in &s.truth.packets {
            let v = seen(&files, p);
            let ts = |pt: &PointName| v.iter().find(|(q, _, _)| q == pt).map(|x| x.1);
            if let (Some(t0), Some(t1)) = (ts(pb0), ts(pb1)) {
                let wait = t1 - t0;
                if wait > 1_000_000 {
                    assert!((600_000_000..700_000_000).contains(&wait), "{wait}");
                    assert_eq!(p.frames.len(), 4, "a queued request is still one packet");
                    queued += 1;
                }
            }
        }
        assert_eq!(queued, QUEUED.len());
        let lost: Vec<_> = s.truth.packets.iter().filter_map(|p| p.lost.clone()).collect();
        assert_eq!(lost.iter().filter(|l| **l == (pb0.clone(), pb1.clone())).count(), LOST_AT_B.len());
        assert_eq!(lost.iter().filter(|l| **l == (pc.clone(), pb1.clone())).count(), LOST_BACK.len());
        assert_eq!(lost.len(), LOST_AT_B.len() + LOST_BACK.len());
        // Look-alikes: requests whose ICMP bytes (id, seq, data) are equal,
        // at C within the same second, yet two packets.
        let mut at_c: BTreeMap<Vec<u8>, Vec<i64>> = BTreeMap::new();
        for p in s.truth.packets.iter().filter(|p| p.direction == Direction::Out) {
            for (pt, t, icmp) in seen(&files, p) {
                if &pt == pc {
                    at_c.entry(icmp).or_default().push(t);
                }
            }
        }
        let twins: Vec<_> = at_c.values().filter(|ts| ts.len() > 1).collect();
        assert_eq!(twins.len(), LOOKALIKE.len());
        assert!(twins.iter().all(|ts| ts.len() == 2 && (ts[1] - ts[0]).abs() < 1_000_000_000));
    }
}
