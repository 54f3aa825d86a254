//! Clock offsets between captures taken on different hosts, estimated from
//! the packets both saw, as NTP does: a packet from A to B arrives
//! `offset + delay` later by B's clock, one from B to A `offset − delay`, so
//! half the sum of the two medians is the offset and half the difference the
//! one-way path delay. Medians, so that a few queued or mismatched packets
//! do not move the estimate. Inside one file all interfaces share one clock.

use crate::path::identity::Addr;
use foldhash::HashMap;

/// Identified packets each file contributes to the estimate: the first ones
/// in the file. Bounds the survey's memory (a few MB per file).
pub const CALIBRATION_PACKETS: usize = 16_384;

/// One identified packet of a file's first [`CALIBRATION_PACKETS`].
#[derive(Clone, Copy, Debug)]
pub struct Sample {
    /// Its first and last sighting in the file (the file's own clock): a
    /// packet enters a file's host at its first point and leaves at its last,
    /// so each direction is timed between adjacent points.
    pub first_ns: i64,
    pub last_ns: i64,
    /// How often the identity occurred at the point that saw it first: only
    /// identities seen once per point are used, so repeats cannot pair with
    /// the wrong copy (one packet seen at two points of a file is not a repeat).
    pub count: u32,
    /// The point (in its file) of the first sighting.
    pub point: crate::path::point::PointKey,
    pub src: Addr,
    pub dst: Addr,
}

/// A file's samples by identity key.
pub type Samples = HashMap<u64, Sample>;

/// How far a file's clock runs ahead of the first file's, and from what.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClockOffset {
    /// This file's timestamp minus the first file's for the same instant;
    /// 0 for the first file and when it could not be estimated.
    pub offset_ns: i64,
    /// Packets seen in both files that the estimate used.
    pub matched: u32,
    /// Packets in both directions were seen, so the path delay cancels out.
    pub both_ways: bool,
    /// The one-way path delay, when both directions were seen.
    pub delay_ns: Option<i64>,
    /// The file it was estimated against (the first file, or one estimated before).
    pub against: Option<usize>,
    pub estimated: bool,
}

fn median(v: &mut [i64]) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[m] } else { ((i128::from(v[m - 1]) + i128::from(v[m])) / 2) as i64 })
}

fn half_sum(a: i64, b: i64) -> i64 {
    ((i128::from(a) + i128::from(b)) / 2) as i64
}

fn half_diff(a: i64, b: i64) -> i64 {
    ((i128::from(a) - i128::from(b)) / 2) as i64
}

/// The offset of `other` against `reference` (other − reference), from the
/// identities both saw once. `None` when they have none in common.
pub fn estimate(reference: &Samples, other: &Samples) -> Option<(i64, u32, bool, Option<i64>)> {
    // Deltas by direction, keyed by the addresses as the reference saw them:
    // (into other: other's first − reference's last, out of other: other's
    // last − reference's first). Which one is physical is decided below.
    let mut by_direction: HashMap<(Addr, Addr), (Vec<i64>, Vec<i64>)> = HashMap::default();
    let mut matched = 0u32;
    for (key, r) in reference {
        let Some(o) = other.get(key) else { continue };
        if r.count != 1 || o.count != 1 {
            continue;
        }
        matched += 1;
        let e = by_direction.entry((r.src, r.dst)).or_default();
        e.0.push(o.first_ns.saturating_sub(r.last_ns));
        e.1.push(o.last_ns.saturating_sub(r.first_ns));
    }
    if matched == 0 {
        return None;
    }
    let mut medians: HashMap<(Addr, Addr), (i64, i64)> = HashMap::default();
    for (dir, (into, out)) in by_direction.iter_mut() {
        if let (Some(i), Some(o)) = (median(into), median(out)) {
            medians.insert(*dir, (i, o));
        }
    }
    // Each conversation seen both ways gives one delay-free estimate: one
    // direction runs into the other file, the other out of it, and only one
    // assignment gives a delay that is not negative.
    let mut offsets = Vec::new();
    let mut delays = Vec::new();
    for (&(a, b), &(ab_in, ab_out)) in &medians {
        if a < b {
            if let Some(&(ba_in, ba_out)) = medians.get(&(b, a)) {
                let h1 = (half_sum(ab_in, ba_out), half_diff(ab_in, ba_out));
                let h2 = (half_sum(ba_in, ab_out), half_diff(ba_in, ab_out));
                let (off, delay) = if h1.1 >= 0 && (h2.1 < 0 || h1.1 <= h2.1) { h1 } else { h2 };
                offsets.push(off);
                delays.push(delay.abs());
            }
        }
    }
    if let Some(off) = median(&mut offsets) {
        return Some((off, matched, true, median(&mut delays)));
    }
    // One way only: the estimate includes the path delay.
    let mut all: Vec<i64> = by_direction.into_values().flat_map(|(into, _)| into).collect();
    median(&mut all).map(|off| (off, matched, false, None))
}

/// Offsets of every file against the first, chaining through files already
/// estimated when a file shares no packet with the first.
pub fn offsets(samples: &[Samples]) -> Vec<ClockOffset> {
    let mut out = vec![ClockOffset::default(); samples.len()];
    if let Some(first) = out.first_mut() {
        first.estimated = true;
    }
    loop {
        let mut progress = false;
        for f in 1..samples.len() {
            if out[f].estimated {
                continue;
            }
            let known: Vec<usize> = (0..samples.len()).filter(|&j| out[j].estimated).collect();
            for j in known {
                if let Some((off, matched, both_ways, delay)) = estimate(&samples[j], &samples[f]) {
                    out[f] = ClockOffset {
                        offset_ns: out[j].offset_ns.saturating_add(off),
                        matched,
                        both_ways,
                        delay_ns: delay,
                        against: Some(j),
                        estimated: true,
                    };
                    progress = true;
                    break;
                }
            }
        }
        if !progress {
            return out;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: i64, src: u8, dst: u8) -> Sample {
        Sample {
            first_ns: t,
            last_ns: t,
            count: 1,
            point: crate::path::point::PointKey { interface: 0, ifindex: None },
            src: Addr::V4([10, 0, 0, src]),
            dst: Addr::V4([10, 0, 0, dst]),
        }
    }

    #[test]
    fn both_directions_cancel_the_path_delay() {
        // B runs 5 s ahead; 2 ms each way.
        let (off, delay) = (5_000_000_000i64, 2_000_000i64);
        let mut a = Samples::default();
        let mut b = Samples::default();
        for k in 0..10u64 {
            let t = k as i64 * 1_000_000_000;
            a.insert(k, s(t, 1, 2));
            b.insert(k, s(t + off + delay, 1, 2));
        }
        // Reverse direction: B sends at t' (its clock), A receives at t' − off + delay.
        for k in 0..10u64 {
            let t_b = k as i64 * 1_000_000_000 + off;
            b.insert(100 + k, s(t_b, 2, 1));
            a.insert(100 + k, s(t_b - off + delay, 2, 1));
        }
        let (got, matched, both, d) = estimate(&a, &b).unwrap();
        assert_eq!((got, matched, both, d), (off, 20, true, Some(delay)));
    }

    #[test]
    fn repeated_identities_are_not_used() {
        let mut a = Samples::default();
        let mut b = Samples::default();
        a.insert(1, Sample { count: 2, ..s(0, 1, 2) });
        b.insert(1, s(7, 1, 2));
        assert_eq!(estimate(&a, &b), None);
        a.insert(2, s(0, 1, 2));
        b.insert(2, s(-3_000, 1, 2));
        assert_eq!(estimate(&a, &b), Some((-3_000, 1, false, None)));
    }

    #[test]
    fn a_file_without_common_packets_with_the_first_chains_through_another() {
        let mut f0 = Samples::default();
        let mut f1 = Samples::default();
        let mut f2 = Samples::default();
        f0.insert(1, s(0, 1, 2));
        f1.insert(1, s(1_000, 1, 2));
        f1.insert(2, s(5_000, 1, 2));
        f2.insert(2, s(9_000, 1, 2));
        let o = offsets(&[f0, f1, f2]);
        assert_eq!(o[1].offset_ns, 1_000);
        assert_eq!((o[2].offset_ns, o[2].against), (5_000, Some(1)));
    }
}
