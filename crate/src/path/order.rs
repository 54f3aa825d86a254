//! The order of the capture points along the path, from what the packets
//! show: each packet seen at several points passes them in time order (on
//! the reference clock, after the clock estimate, which is itself free of
//! any order: [`crate::path::clock`]). Every such sequence votes for each
//! pair of points it passes, not only neighbours, so that a point a lost
//! packet never reached still falls into place behind the ones it did.
//!
//! A path has two directions. Sequences are oriented against the first
//! packet's: one that agrees with what is known is "out", one that runs
//! against it "back". The out order is a topological order of the
//! majority votes; where no packet orders two points (no packet was seen at
//! both, or as many each way), the order is undecided and said to be so,
//! with the alternative, and ties go to the points' canonical rank (their
//! files' first timestamps, then content), never to the order of the input.

/// A run of points some packets passed, in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequence {
    pub points: Vec<usize>,
    pub count: u64,
    /// The reference-clock time of its earliest packet.
    pub first_at: i64,
}

/// What the evidence says of the order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// Every point, in path order along the first packet's direction; points
    /// no packet linked to another come last, in rank order.
    pub out: Vec<usize>,
    /// The points the other direction's packets pass, in their order.
    pub back: Vec<usize>,
    /// Neighbours in `out` that no packet orders: (earlier, later).
    pub undecided: Vec<(usize, usize)>,
    /// Points no packet linked to another.
    pub unlinked: Vec<usize>,
    /// Packets whose sequences the order rests on.
    pub packets: u64,
}

/// Votes of `(a, b)`: packets that passed `a` before `b`.
struct Votes {
    n: usize,
    v: Vec<u64>,
}

impl Votes {
    fn new(n: usize) -> Self {
        Votes { n, v: vec![0; n * n] }
    }

    fn get(&self, a: usize, b: usize) -> u64 {
        self.v[a * self.n + b]
    }

    fn add(&mut self, points: &[usize], count: u64, reversed: bool) {
        for (i, &a) in points.iter().enumerate() {
            for &b in &points[i + 1..] {
                let (x, y) = if reversed { (b, a) } else { (a, b) };
                if x != y {
                    self.v[x * self.n + y] += count;
                }
            }
        }
    }

    /// Takes back what [`Votes::add`] gave.
    fn remove(&mut self, points: &[usize], count: u64, reversed: bool) {
        for (i, &a) in points.iter().enumerate() {
            for &b in &points[i + 1..] {
                let (x, y) = if reversed { (b, a) } else { (a, b) };
                if x != y {
                    let v = &mut self.v[x * self.n + y];
                    *v = v.saturating_sub(count);
                }
            }
        }
    }

    /// How much `points` in this order agrees with the votes (positive) or runs against them.
    fn agreement(&self, points: &[usize]) -> i128 {
        let mut s = 0i128;
        for (i, &a) in points.iter().enumerate() {
            for &b in &points[i + 1..] {
                s += i128::from(self.get(a, b)) - i128::from(self.get(b, a));
            }
        }
        s
    }

    /// `a` comes before `b` by majority.
    fn before(&self, a: usize, b: usize) -> bool {
        self.get(a, b) > self.get(b, a)
    }

    /// A topological order of the majority relation over `members`; ties
    /// and cycles (noise) broken by the most wins, then by when a packet
    /// going out first passed the point (of two links in parallel, the one
    /// the first packet took comes first), then by `rank`.
    fn order(&self, members: &[usize], rank: &[usize], first_out: &[i64]) -> Vec<usize> {
        // Kept up to date as points are taken, so that each pick costs one
        // pass over the points (256 points at most: a few ms, not seconds).
        let mut left: Vec<usize> = members.to_vec();
        let mut beaten: Vec<u32> = vec![0; self.n];
        let mut wins: Vec<i64> = vec![0; self.n];
        for &a in &left {
            for &b in &left {
                if self.before(a, b) {
                    beaten[b] += 1;
                    wins[a] += 1;
                    wins[b] -= 1;
                }
            }
        }
        let mut out = Vec::with_capacity(left.len());
        while !left.is_empty() {
            let free = left.iter().any(|&a| beaten[a] == 0);
            let key = |&&a: &&usize| (-wins[a], first_out[a], rank[a]);
            let Some(&pick) = left.iter().filter(|&&a| !free || beaten[a] == 0).min_by_key(key) else { break };
            out.push(pick);
            left.retain(|&a| a != pick);
            for &x in &left {
                if self.before(pick, x) {
                    beaten[x] -= 1;
                    wins[x] += 1;
                }
                if self.before(x, pick) {
                    wins[x] -= 1;
                }
            }
        }
        out
    }
}

/// Orders `n` points from the sequences packets took. `rank` is each
/// point's canonical rank (lower first on ties).
pub fn order(n: usize, sequences: &[Sequence], rank: &[usize]) -> Evidence {
    let mut seqs: Vec<&Sequence> = sequences.iter().filter(|s| s.points.len() > 1).collect();
    // The first packet's direction is "out"; the rest are oriented against
    // what is known by then, the most common first.
    seqs.sort_by(|a, b| (a.first_at, &a.points).cmp(&(b.first_at, &b.points)));
    if let Some(first) = seqs.first().copied() {
        let mut rest: Vec<&Sequence> = seqs[1..].to_vec();
        rest.sort_by(|a, b| (b.count, a.first_at, &a.points).cmp(&(a.count, b.first_at, &b.points)));
        seqs = std::iter::once(first).chain(rest).collect();
    }
    let mut oriented = Votes::new(n);
    let mut back_flags = Vec::with_capacity(seqs.len());
    for s in &seqs {
        let back = oriented.agreement(&s.points) < 0;
        oriented.add(&s.points, s.count, back);
        back_flags.push(back);
    }
    // Once everything is known, each sequence is oriented again against the
    // votes of all the others (an early sequence may have had little to go by).
    let mut changed = true;
    let mut rounds = 0;
    while changed && rounds < 4 {
        changed = false;
        rounds += 1;
        for (i, s) in seqs.iter().enumerate().skip(1) {
            // Its own votes taken out, then put back the way it agrees with the rest.
            oriented.remove(&s.points, s.count, back_flags[i]);
            let back = oriented.agreement(&s.points) < 0;
            changed |= back != back_flags[i];
            back_flags[i] = back;
            oriented.add(&s.points, s.count, back);
        }
    }
    let mut linked = vec![false; n];
    let mut in_back = vec![false; n];
    let mut first_out = vec![i64::MAX; n];
    let mut back_votes = Votes::new(n);
    let mut packets = 0;
    for (s, &back) in seqs.iter().zip(&back_flags) {
        packets += s.count;
        for &p in &s.points {
            linked[p] = true;
            in_back[p] |= back;
            if !back {
                first_out[p] = first_out[p].min(s.first_at);
            }
        }
        if back {
            back_votes.add(&s.points, s.count, false);
        }
    }
    let members: Vec<usize> = (0..n).filter(|&p| linked[p]).collect();
    let mut out = oriented.order(&members, rank, &first_out);
    let undecided =
        out.windows(2).filter(|w| oriented.get(w[0], w[1]) == oriented.get(w[1], w[0])).map(|w| (w[0], w[1])).collect();
    let mut unlinked: Vec<usize> = (0..n).filter(|&p| !linked[p]).collect();
    unlinked.sort_by_key(|&p| rank[p]);
    out.extend(unlinked.iter().copied());
    let back_members: Vec<usize> = (0..n).filter(|&p| in_back[p]).collect();
    let back = back_votes.order(&back_members, rank, &vec![0; n]);
    Evidence { out, back, undecided, unlinked, packets }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(points: &[usize], count: u64, first_at: i64) -> Sequence {
        Sequence { points: points.to_vec(), count, first_at }
    }

    #[test]
    fn requests_and_replies_give_one_order_and_its_reverse() {
        // Points given as 2, 0, 1 (the shell's alphabetical order); the path is 2 → 0 → 1.
        let s = [seq(&[2, 0, 1], 7, 0), seq(&[1, 0, 2], 7, 10), seq(&[2, 0], 3, 20)];
        let e = order(3, &s, &[0, 1, 2]);
        assert_eq!((e.out, e.back), (vec![2, 0, 1], vec![1, 0, 2]));
        assert!(e.undecided.is_empty());
    }

    #[test]
    fn a_point_only_lost_packets_reach_still_falls_behind_the_ones_before_it() {
        // laptop 0 → nic 1 → router 2 → underlay 3, and packets lost after 1.
        let s = [seq(&[0, 1, 2, 3], 2, 0), seq(&[0, 1], 40, 5), seq(&[3, 2, 1, 0], 2, 7)];
        let e = order(4, &s, &[3, 2, 1, 0]);
        assert_eq!(e.out, [0, 1, 2, 3]);
    }

    #[test]
    fn the_order_does_not_depend_on_the_input_order() {
        let s = [seq(&[0, 1, 2], 5, 0), seq(&[2, 1, 0], 5, 1)];
        let first = order(3, &s, &[1, 0, 2]).out;
        let s2: Vec<Sequence> = s.iter().rev().cloned().collect();
        assert_eq!(order(3, &s2, &[1, 0, 2]).out, first);
    }

    #[test]
    fn points_no_packet_orders_are_undecided() {
        // Two bond members: the flow leaves on 2 and returns on 1; the way
        // out's member comes first, and the pair is said to be undecided.
        let s = [seq(&[0, 2, 3], 4, 0), seq(&[3, 1, 0], 4, 1)];
        let e = order(4, &s, &[0, 1, 2, 3]);
        assert_eq!(e.out, [0, 2, 1, 3]);
        assert_eq!(e.undecided, [(2, 1)]);
    }

    #[test]
    fn two_hundred_and_fifty_six_points_order_at_once() {
        // The most points a diagnosis follows (MAX_POINTS), a chain of them.
        let chain: Vec<usize> = (0..256).rev().collect();
        let s = [seq(&chain, 1, 0)];
        let rank: Vec<usize> = (0..256).collect();
        assert_eq!(order(256, &s, &rank).out, chain);
    }

    #[test]
    fn unlinked_points_come_last_in_rank_order() {
        let s = [seq(&[2, 3], 1, 0)];
        let e = order(4, &s, &[3, 1, 0, 2]);
        assert_eq!(e.out, [2, 3, 1, 0]);
        assert_eq!(e.unlinked, [1, 0]);
    }
}
