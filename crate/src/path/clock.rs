//! Clocks of captures taken on different hosts, estimated from the packets
//! both saw, as NTP does (RFC 5905 §8 and its clock filter, §10: keep the
//! lowest-delay samples).
//!
//! A packet from A to B is seen by B `offset + delay` later by B's clock
//! (`u`), one from B to A `offset − delay` (`v`), the delays never negative.
//! So the offset lies between the largest `v` and the smallest `u`; the
//! estimate is the middle of that interval and its half-width the
//! uncertainty. Which packets go which way is read from the packets
//! themselves: the addresses a direction carries (NAT between the two points
//! rewrites one end, never both at once) and, where TTLs differ, which copy
//! was routed later. With one direction only, the offset is a bound (the path
//! delay is unknown) and is said to be one. A rate (drift) is estimated from
//! the early and late halves of a long capture. Inside one file all
//! interfaces share one clock.
//!
//! Every estimate is antisymmetric (A against B is minus B against A) and
//! files are combined along a spanning tree chosen by the quality of each
//! pair, never by the order the files were given.

use crate::path::identity::Addr;
use crate::path::point::PointKey;
use crate::text::{count, seconds};
use foldhash::HashMap;

/// Identified packets each file contributes to the estimate: the first ones
/// in the file. Bounds the survey's memory (a few MB per file).
pub const CALIBRATION_PACKETS: usize = 16_384;
/// Sightings of one identity a file's sample keeps, in file order.
pub const SAMPLE_SIGHTINGS: usize = 4;
/// The share of packets each side's envelope may leave out as outliers
/// (coincidental identities, a clock step): 1 in 20.
const OUTLIER_SHARE: usize = 20;
/// A rate is looked for in captures spanning at least this long.
const RATE_SPAN_NS: i64 = 60_000_000_000;

/// What a file saw of one identified packet among its first [`CALIBRATION_PACKETS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// Its sightings in file order: (point, time on the file's clock).
    pub seen: [(PointKey, i64); SAMPLE_SIGHTINGS],
    pub len: u8,
    /// Seen twice at one point: a repeat that could pair with the wrong
    /// copy, so not used (one packet seen at two points of a file is fine).
    pub repeated: bool,
    /// The inner addresses (source, destination) at the first and last sighting.
    pub first_view: (Addr, Addr),
    pub last_view: (Addr, Addr),
    /// The inner TTL or hop limit at the first and last sighting.
    pub first_ttl: u8,
    pub last_ttl: u8,
}

impl Sample {
    pub fn new(point: PointKey, time: i64, view: (Addr, Addr), ttl: u8) -> Self {
        Sample {
            seen: [(point, time); SAMPLE_SIGHTINGS],
            len: 1,
            repeated: false,
            first_view: view,
            last_view: view,
            first_ttl: ttl,
            last_ttl: ttl,
        }
    }

    /// Another sighting of the same identity in the same file.
    pub fn add(&mut self, point: PointKey, time: i64, view: (Addr, Addr), ttl: u8) {
        let n = usize::from(self.len);
        if self.seen[..n].iter().any(|(p, _)| *p == point) {
            self.repeated = true;
            return;
        }
        if n < SAMPLE_SIGHTINGS {
            self.seen[n] = (point, time);
            self.len += 1;
        }
        self.last_view = view;
        self.last_ttl = ttl;
    }

    pub fn sightings(&self) -> &[(PointKey, i64)] {
        &self.seen[..usize::from(self.len)]
    }

    pub fn first_ns(&self) -> i64 {
        self.sightings().iter().map(|s| s.1).min().unwrap_or(0)
    }

    pub fn last_ns(&self) -> i64 {
        self.sightings().iter().map(|s| s.1).max().unwrap_or(0)
    }
}

/// A file's samples by identity key.
pub type Samples = HashMap<u64, Sample>;

/// A one-direction estimate is a bound: which side of it the offset lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// Packets went from the other file to this one: the offset is at most this.
    AtMost,
    /// Packets went from this file to the other one: the offset is at least this.
    AtLeast,
}

/// How a file's clock relates to the reference file's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClockOffset {
    /// This file's timestamp minus the reference's for the same instant, at
    /// `anchor_ns` (on the reference clock); 0 for the reference file and
    /// when it could not be estimated.
    pub offset_ns: i64,
    /// How fast the offset grows, in parts per billion (50 ppm = 50,000).
    pub rate_ppb: i64,
    /// The reference-clock instant `offset_ns` is given for: the reference file's first timestamp.
    pub anchor_ns: i64,
    /// Half the width of the interval the offset is known to lie in (both directions).
    pub uncertainty_ns: i64,
    /// Packets seen in both files that the estimate used (along its spanning-tree edge).
    pub matched: u32,
    /// Packets in both directions were seen, so the path delay cancels out.
    pub both_ways: bool,
    /// One direction only: the offset is a bound, on this side.
    pub bound: Option<Bound>,
    /// The shortest one-way path delay, when both directions were seen.
    pub delay_ns: Option<i64>,
    /// The file it was estimated against (its neighbour in the spanning tree).
    pub against: Option<usize>,
    pub estimated: bool,
}

impl ClockOffset {
    /// The offset at reference-clock time `at_ns`.
    pub fn at(&self, at_ns: i64) -> i64 {
        drifted(self.offset_ns, self.rate_ppb, self.anchor_ns, at_ns)
    }

    /// A timestamp of this file on the reference clock.
    pub fn to_reference(&self, file_ns: i64) -> i64 {
        // The offset is a function of reference time; one fixed-point step is
        // exact to within rate × offset (picoseconds for any real clock).
        let guess = file_ns.saturating_sub(self.offset_ns);
        file_ns.saturating_sub(self.at(guess))
    }

    /// A reference-clock time on this file's clock.
    pub fn from_reference(&self, at_ns: i64) -> i64 {
        at_ns.saturating_add(self.at(at_ns))
    }
}

impl ClockOffset {
    /// What the finding says of this clock: `file`'s against `reference`'s,
    /// estimated through `via` when the two share no packet.
    pub fn sentence(&self, file: &str, reference: &str, via: Option<&str>) -> String {
        if !self.estimated {
            return format!(
                "{file} shares no identified packet with the other captures among its first packets: its clock offset could not be estimated and is taken as 0."
            );
        }
        let o = self.offset_ns;
        let side = if o >= 0 { "ahead of" } else { "behind" };
        let size = seconds(o.saturating_abs());
        let through = via.map_or(String::new(), |v| format!(", through {v}"));
        let packets = count(u64::from(self.matched), "packet");
        let mut s = match self.bound {
            None => {
                let delay = self.delay_ns.map_or(String::new(), |d| format!("; shortest one-way delay {}", seconds(d)));
                format!(
                    "{file}'s clock runs {size} {side} {reference}'s, ± {} (from {packets} seen in both{through}, both directions, so the path delay cancels out{delay})",
                    seconds(self.uncertainty_ns)
                )
            }
            Some(bound) => {
                // "At most 3 s ahead" is "at least 3 s behind" seen from the other side.
                let most = (bound == Bound::AtMost) == (o >= 0);
                format!(
                    "{file}'s clock runs at {} {size} {side} {reference}'s (from {packets} seen in both{through}, one direction only: a bound, since the path delay is unknown)",
                    if most { "most" } else { "least" }
                )
            }
        };
        if self.rate_ppb != 0 {
            let per_minute = i128::from(self.rate_ppb) * 60;
            s.push_str(&format!(
                ", and {} {:.1} ppm ({} a minute)",
                if self.rate_ppb > 0 { "gains" } else { "loses" },
                self.rate_ppb.unsigned_abs() as f64 / 1000.0,
                seconds(per_minute.unsigned_abs().min(i64::MAX as u128) as i64)
            ));
        }
        s.push('.');
        s
    }
}

/// The estimate of B's clock against A's from the packets both saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairEstimate {
    /// B − A at `anchor_ns` (A's clock).
    pub offset_ns: i64,
    pub rate_ppb: i64,
    pub anchor_ns: i64,
    pub uncertainty_ns: i64,
    pub matched: u32,
    pub both_ways: bool,
    pub bound: Option<Bound>,
    pub delay_ns: Option<i64>,
}

impl PairEstimate {
    /// A's clock against B's: the same evidence seen from the other side.
    pub fn reversed(&self) -> Self {
        let anchor = self.anchor_ns.saturating_add(self.offset_ns);
        PairEstimate {
            offset_ns: -self.offset_ns,
            rate_ppb: -self.rate_ppb,
            anchor_ns: anchor,
            bound: self.bound.map(|b| match b {
                Bound::AtMost => Bound::AtLeast,
                Bound::AtLeast => Bound::AtMost,
            }),
            ..*self
        }
    }

    /// How much an estimate is trusted when choosing the spanning tree:
    /// both directions first, then the packets it rests on, then the
    /// narrowest interval.
    fn quality(&self) -> (bool, u32, i64) {
        (self.both_ways, self.matched, -self.uncertainty_ns)
    }

    fn at(&self, a_ns: i64) -> i64 {
        drifted(self.offset_ns, self.rate_ppb, self.anchor_ns, a_ns)
    }
}

/// An offset of `offset_ns` at `anchor_ns` that grows `rate_ppb` per
/// billion, at `at_ns`; saturating, never overflowing.
fn drifted(offset_ns: i64, rate_ppb: i64, anchor_ns: i64, at_ns: i64) -> i64 {
    let dt = i128::from(at_ns) - i128::from(anchor_ns);
    let drift = dt * i128::from(rate_ppb) / 1_000_000_000;
    (i128::from(offset_ns) + drift).clamp(i64::MIN.into(), i64::MAX.into()) as i64
}

/// One packet both files saw: `u` if it went A → B, `v` if B → A, at A's time `t`.
#[derive(Clone, Copy, Debug)]
struct Common {
    u: i64,
    v: i64,
    t: i64,
    class: usize,
}

/// Directed address pairs joined into the directions they belong to.
#[derive(Default)]
struct Directions {
    index: HashMap<(Addr, Addr), usize>,
    parent: Vec<usize>,
}

impl Directions {
    fn id(&mut self, pair: (Addr, Addr)) -> usize {
        let next = self.parent.len();
        let id = *self.index.entry(pair).or_insert(next);
        if id == next {
            self.parent.push(next);
        }
        id
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo;
        }
    }
}

/// The k-th smallest value, k leaving out [`OUTLIER_SHARE`] of the values.
fn low(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let k = values.len() / OUTLIER_SHARE;
    Some(*values.select_nth_unstable(k).1)
}

fn high(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let k = values.len() - 1 - values.len() / OUTLIER_SHARE;
    Some(*values.select_nth_unstable(k).1)
}

fn mid(a: i64, b: i64) -> i64 {
    ((i128::from(a) + i128::from(b)) / 2) as i64
}

fn half(a: i64, b: i64) -> i64 {
    ((i128::from(b) - i128::from(a)) / 2) as i64
}

/// The interval [max v, min u] of packets going A → B (`out`) and B → A (`back`).
fn interval(out: &[Common], back: &[Common], detrend: impl Fn(i64, i64) -> i64) -> Option<(i64, i64)> {
    let mut u: Vec<i64> = out.iter().map(|c| detrend(c.u, c.t)).collect();
    let mut v: Vec<i64> = back.iter().map(|c| detrend(c.v, c.t)).collect();
    Some((high(&mut v)?, low(&mut u)?))
}

/// B's clock against A's, from the identities both saw (each at most once per point).
pub fn estimate(a: &Samples, b: &Samples) -> Option<PairEstimate> {
    let mut dirs = Directions::default();
    let mut common = Vec::new();
    // Keys in sorted order: the estimate must not depend on hash order.
    let mut keys: Vec<u64> = a.keys().filter(|k| b.contains_key(k)).copied().collect();
    keys.sort_unstable();
    let mut ttl_votes: HashMap<usize, (u32, u32)> = HashMap::default();
    for key in keys {
        let (Some(x), Some(y)) = (a.get(&key), b.get(&key)) else { continue };
        if x.repeated || y.repeated {
            continue;
        }
        let ids = [x.first_view, x.last_view, y.first_view, y.last_view].map(|v| dirs.id(v));
        for w in ids.windows(2) {
            dirs.join(w[0], w[1]);
        }
        common.push((
            Common {
                u: y.first_ns().saturating_sub(x.last_ns()),
                v: y.last_ns().saturating_sub(x.first_ns()),
                t: x.first_ns(),
                class: ids[0],
            },
            x.last_ttl > y.first_ttl,
            y.last_ttl > x.first_ttl,
        ));
    }
    if common.is_empty() {
        return None;
    }
    let matched = common.len() as u32;
    let mut classes: Vec<usize> = Vec::new();
    let mut packets: Vec<Common> = Vec::with_capacity(common.len());
    for (mut c, a_to_b, b_to_a) in common {
        c.class = dirs.root(c.class);
        let e = ttl_votes.entry(c.class).or_default();
        e.0 += u32::from(a_to_b);
        e.1 += u32::from(b_to_a);
        if !classes.contains(&c.class) {
            classes.push(c.class);
        }
        packets.push(c);
    }
    classes.sort_unstable();
    // A class's opposite carries its address pairs reversed.
    let pairs: Vec<((Addr, Addr), usize)> = dirs.index.iter().map(|(&p, &i)| (p, i)).collect();
    let mut opposite: HashMap<usize, usize> = HashMap::default();
    for (p, i) in &pairs {
        if let Some(&j) = dirs.index.get(&(p.1, p.0)) {
            let (ri, rj) = (dirs.root(*i), dirs.root(j));
            if ri != rj && classes.contains(&ri) && classes.contains(&rj) {
                opposite.entry(ri).or_insert(rj);
            }
        }
    }
    // Orient each class: true when its packets go A → B.
    let of = |class: usize| packets.iter().filter(move |c| c.class == class).copied().collect::<Vec<_>>();
    let mut orientation: HashMap<usize, bool> = HashMap::default();
    for &c in &classes {
        if orientation.contains_key(&c) {
            continue;
        }
        if let Some(&d) = opposite.get(&c) {
            // The right orientation leaves a non-negative interval (delays
            // are never negative); the wrong one a negative one.
            let (pc, pd) = (of(c), of(d));
            let w1 = interval(&pc, &pd, |x, _| x).map(|(lo, hi)| i128::from(hi) - i128::from(lo));
            let w2 = interval(&pd, &pc, |x, _| x).map(|(lo, hi)| i128::from(hi) - i128::from(lo));
            let c_out = w1 >= w2;
            orientation.insert(c, c_out);
            orientation.insert(d, !c_out);
        }
    }
    for &c in &classes {
        let (ab, ba) = ttl_votes.get(&c).copied().unwrap_or_default();
        if ab != ba {
            orientation.entry(c).or_insert(ab > ba);
        }
    }
    let out: Vec<Common> = packets.iter().filter(|c| orientation.get(&c.class) == Some(&true)).copied().collect();
    let back: Vec<Common> = packets.iter().filter(|c| orientation.get(&c.class) == Some(&false)).copied().collect();
    let anchor = packets.iter().map(|c| c.t).min().unwrap_or(0);
    if !out.is_empty() && !back.is_empty() {
        let rate = rate_of(&out, &back);
        let detrend = |x: i64, t: i64| x.saturating_sub(drifted(0, rate, anchor, t));
        let (lo, hi) = interval(&out, &back, detrend)?;
        return Some(PairEstimate {
            offset_ns: mid(lo, hi),
            rate_ppb: rate,
            anchor_ns: anchor,
            uncertainty_ns: half(lo, hi).abs(),
            matched,
            both_ways: true,
            bound: None,
            delay_ns: Some(half(lo, hi).max(0)),
        });
    }
    // One way only: a bound. With the direction known, on its side; without,
    // the side that asks the least of the clocks (the smaller offset).
    let mut u: Vec<i64> = packets.iter().filter(|c| orientation.get(&c.class) != Some(&false)).map(|c| c.u).collect();
    let mut v: Vec<i64> = packets.iter().filter(|c| orientation.get(&c.class) != Some(&true)).map(|c| c.v).collect();
    let at_most = low(&mut u);
    let at_least = high(&mut v);
    let (offset, bound) = match (at_most, at_least, out.is_empty(), back.is_empty()) {
        (Some(hi), _, false, _) => (hi, Bound::AtMost),
        (_, Some(lo), _, false) => (lo, Bound::AtLeast),
        (Some(hi), Some(lo), _, _) => {
            if hi.unsigned_abs() <= lo.unsigned_abs() {
                (hi, Bound::AtMost)
            } else {
                (lo, Bound::AtLeast)
            }
        }
        (Some(hi), None, _, _) => (hi, Bound::AtMost),
        (None, Some(lo), _, _) => (lo, Bound::AtLeast),
        (None, None, _, _) => return None,
    };
    Some(PairEstimate {
        offset_ns: offset,
        rate_ppb: 0,
        anchor_ns: anchor,
        uncertainty_ns: 0,
        matched,
        both_ways: false,
        bound: Some(bound),
        delay_ns: None,
    })
}

/// The drift between two clocks, from the interval's middle in the early
/// and the late half of the packets (by time); 0 when the capture is too
/// short or the change is within the two halves' own uncertainty.
fn rate_of(out: &[Common], back: &[Common]) -> i64 {
    let ts = |cs: &[Common]| cs.iter().map(|c| c.t).collect::<Vec<_>>();
    let (mut to, mut tb) = (ts(out), ts(back));
    to.sort_unstable();
    tb.sort_unstable();
    let (Some(&first), Some(&last)) = (to.first().min(tb.first()), to.last().max(tb.last())) else { return 0 };
    if last.saturating_sub(first) < RATE_SPAN_NS || out.len() < 4 || back.len() < 4 {
        return 0;
    }
    let split = mid(first, last);
    let halves = |early: bool| {
        let pick = |cs: &[Common]| cs.iter().filter(|c| (c.t < split) == early).copied().collect::<Vec<_>>();
        let (o, b) = (pick(out), pick(back));
        let times: Vec<i64> = o.iter().chain(b.iter()).map(|c| c.t).collect();
        let at = mid(*times.iter().min()?, *times.iter().max()?);
        let (lo, hi) = interval(&o, &b, |x, _| x)?;
        Some((at, mid(lo, hi), half(lo, hi).abs()))
    };
    let (Some((t1, o1, e1)), Some((t2, o2, e2))) = (halves(true), halves(false)) else { return 0 };
    let change = i128::from(o2) - i128::from(o1);
    if change.abs() <= i128::from(e1) + i128::from(e2) || t2 <= t1 {
        return 0;
    }
    (change * 1_000_000_000 / (i128::from(t2) - i128::from(t1))) as i64
}

/// Every file's clock against the file `reference`, from the pairwise
/// estimates joined along the spanning tree of the best pairs. `rank` orders
/// the files independently of how they were given (ties between equally
/// good pairs go to the lower ranks); `anchor_ns` is the reference-clock
/// instant the offsets are given for.
pub fn offsets(samples: &[Samples], rank: &[usize], reference: usize, anchor_ns: i64) -> Vec<ClockOffset> {
    let n = samples.len();
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            // Estimated from the lower-ranked file's side, so that the same
            // two files give the same numbers in any order.
            let (x, y) = if rank[a] < rank[b] { (a, b) } else { (b, a) };
            if let Some(e) = estimate(&samples[x], &samples[y]) {
                edges.push((x, y, e));
            }
        }
    }
    edges.sort_by(|(x1, y1, e1), (x2, y2, e2)| {
        e2.quality().cmp(&e1.quality()).then((rank[*x1], rank[*y1]).cmp(&(rank[*x2], rank[*y2])))
    });
    // Kruskal: the best edges that join new files.
    let mut component: Vec<usize> = (0..n).collect();
    let mut tree: Vec<Vec<(usize, PairEstimate)>> = vec![Vec::new(); n];
    for (x, y, e) in edges {
        let (cx, cy) = (component[x], component[y]);
        if cx == cy {
            continue;
        }
        for c in component.iter_mut() {
            if *c == cy {
                *c = cx;
            }
        }
        tree[x].push((y, e));
        tree[y].push((x, e.reversed()));
    }
    let mut out = vec![ClockOffset::default(); n];
    if reference >= n {
        return out;
    }
    out[reference] = ClockOffset { anchor_ns, estimated: true, ..ClockOffset::default() };
    let mut stack = vec![reference];
    while let Some(f) = stack.pop() {
        let here = out[f];
        let neighbours = tree[f].clone();
        for (g, e) in neighbours {
            if out[g].estimated {
                continue;
            }
            // g − reference = (g − f) + (f − reference), both at the anchor.
            let f_at_anchor = here.from_reference(anchor_ns);
            let offset = here.offset_ns.saturating_add(e.at(f_at_anchor));
            out[g] = ClockOffset {
                offset_ns: offset,
                rate_ppb: here.rate_ppb.saturating_add(e.rate_ppb),
                anchor_ns,
                uncertainty_ns: here.uncertainty_ns.saturating_add(e.uncertainty_ns),
                matched: e.matched,
                both_ways: e.both_ways && (here.both_ways || f == reference),
                bound: e.bound.or(here.bound),
                delay_ns: e.delay_ns,
                against: Some(f),
                estimated: true,
            };
            stack.push(g);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const P0: PointKey = PointKey { interface: 0, ifindex: None };

    fn ip(n: u8) -> Addr {
        Addr::V4([10, 0, 0, n])
    }

    fn s(t: i64, src: u8, dst: u8) -> Sample {
        Sample::new(P0, t, (ip(src), ip(dst)), 64)
    }

    /// `n` packets each way, B `off` ahead of A, `delay` each way, one per second.
    fn two_way(off: i64, delay: i64, n: u64, rate_ppb: i64) -> (Samples, Samples) {
        let (mut a, mut b) = (Samples::default(), Samples::default());
        let drift = |t: i64| (i128::from(t) * i128::from(rate_ppb) / 1_000_000_000) as i64;
        for k in 0..n {
            let t = k as i64 * 1_000_000_000;
            a.insert(k, s(t, 1, 2));
            b.insert(k, s(t + delay + off + drift(t + delay), 1, 2));
            let t_b = t + 500_000_000;
            a.insert(1_000_000 + k, s(t_b + delay, 2, 1));
            b.insert(1_000_000 + k, s(t_b + off + drift(t_b), 2, 1));
        }
        (a, b)
    }

    #[test]
    fn both_directions_cancel_the_path_delay() {
        // NTP (RFC 5905 §8): offset = ((T2 − T1) + (T3 − T4)) / 2 with symmetric delays.
        let (a, b) = two_way(5_000_000_000, 2_000_000, 10, 0);
        let e = estimate(&a, &b).unwrap();
        assert_eq!((e.offset_ns, e.both_ways, e.delay_ns, e.matched), (5_000_000_000, true, Some(2_000_000), 20));
        assert_eq!(e.uncertainty_ns, 2_000_000, "the interval is the two delays wide");
    }

    #[test]
    fn the_estimate_is_antisymmetric() {
        let (a, b) = two_way(-40_000_000_000, 300_000, 12, 0);
        let ab = estimate(&a, &b).unwrap();
        let ba = estimate(&b, &a).unwrap();
        assert_eq!(ab.offset_ns, -ba.offset_ns);
        assert_eq!((ab.uncertainty_ns, ab.delay_ns), (ba.uncertainty_ns, ba.delay_ns));
    }

    #[test]
    fn nat_between_the_points_still_pairs_the_two_directions() {
        // Requests 1 → 9 at A are 1 → 2 at B (DNAT); replies 2 → 1 at B are 9 → 1 at A.
        let (mut a, mut b) = (Samples::default(), Samples::default());
        for k in 0..8u64 {
            let t = k as i64 * 1_000_000_000;
            a.insert(k, Sample::new(P0, t, (ip(1), ip(9)), 64));
            b.insert(k, Sample::new(P0, t + 3_000_000_000 + 300_000, (ip(1), ip(2)), 63));
            a.insert(100 + k, Sample::new(P0, t + 900_000, (ip(9), ip(1)), 63));
            b.insert(100 + k, Sample::new(P0, t + 3_000_000_000 + 600_000, (ip(2), ip(1)), 64));
        }
        let e = estimate(&a, &b).unwrap();
        assert!(e.both_ways);
        assert_eq!(e.offset_ns, 3_000_000_000, "300 µs each way cancel");
    }

    #[test]
    fn one_direction_is_a_bound_on_its_side() {
        let (mut a, mut b) = (Samples::default(), Samples::default());
        for k in 0..5u64 {
            let t = k as i64 * 1_000_000;
            a.insert(k, Sample::new(P0, t, (ip(1), ip(2)), 64));
            // Routed after A (TTL 63): A → B, B 1 s ahead, 1–5 ms delay.
            b.insert(k, Sample::new(P0, t + 1_000_000_000 + (k as i64 + 1) * 1_000_000, (ip(1), ip(2)), 63));
        }
        let e = estimate(&a, &b).unwrap();
        assert_eq!((e.both_ways, e.bound, e.offset_ns), (false, Some(Bound::AtMost), 1_001_000_000));
        assert_eq!(estimate(&b, &a).unwrap().bound, Some(Bound::AtLeast));
    }

    #[test]
    fn a_drift_of_50_ppm_over_ten_minutes_is_measured() {
        let (a, b) = two_way(2_000_000, 400_000, 600, 50_000);
        let e = estimate(&a, &b).unwrap();
        assert!((e.rate_ppb - 50_000).abs() < 2_000, "{}", e.rate_ppb);
        assert!((e.offset_ns - 2_000_000).abs() < 50_000, "{}", e.offset_ns);
    }

    #[test]
    fn repeated_identities_are_not_used() {
        let mut a = Samples::default();
        let mut b = Samples::default();
        let mut r = s(0, 1, 2);
        r.add(P0, 5, (ip(1), ip(2)), 64);
        assert!(r.repeated);
        a.insert(1, r);
        b.insert(1, s(7, 1, 2));
        assert_eq!(estimate(&a, &b), None);
    }

    #[test]
    fn offsets_follow_the_best_pairs_whatever_the_reference() {
        // f1 shares packets with f0 and f2; f0 and f2 share none.
        let (f0, f1a) = two_way(1_000_000, 100_000, 6, 0);
        let (f1b, f2) = two_way(7_000_000, 100_000, 6, 0);
        let mut f1 = f1a.clone();
        f1.extend(f1b.into_iter().map(|(k, v)| (k + 10_000_000, v)));
        let f2: Samples = f2.into_iter().map(|(k, v)| (k + 10_000_000, v)).collect();
        let samples = [f0, f1, f2];
        let o = offsets(&samples, &[0, 1, 2], 0, 0);
        assert_eq!((o[1].offset_ns, o[2].offset_ns, o[2].against), (1_000_000, 8_000_000, Some(1)));
        let o = offsets(&samples, &[0, 1, 2], 2, 0);
        assert_eq!((o[0].offset_ns, o[1].offset_ns), (-8_000_000, -7_000_000));
    }
}
