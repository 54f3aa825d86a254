//! Matching: each sighting, in time order on the reference clock, joined
//! to the journey it belongs to.
//!
//! Matching is streaming and windowed. A sighting joins an open journey with
//! the same identity that has not yet been seen at this point and whose last
//! sighting is at most [`PathSettings::window_ns`] away, the nearest in time
//! (that is what tells repeats of the same ping apart); otherwise it starts a
//! journey. A journey closes once nothing has joined it for a window, and
//! closed journeys come out in order of first sighting. At most
//! [`PathSettings::max_in_flight`] journeys are open: past the bound the
//! oldest closes early (counted in [`PathSummary::closed_early`]), and a later
//! sighting of it starts a new journey. Memory is bounded by the window's
//! traffic, never by the files.

use crate::path::hop::hops;
use crate::path::identity::{Facts, Identity};
use crate::path::journey::{points_of, Journey, Sighting};
use crate::path::plan::Plan;
use foldhash::HashMap;
use std::collections::VecDeque;

/// Open journeys one identity keeps as candidates: repeats beyond that many
/// within a window (the same ACK a hundred times) match the newest ones.
const CANDIDATES: usize = 8;
/// Flows whose path is remembered for the loss verdict.
const MAX_FLOWS: usize = 1 << 16;

struct Open {
    /// Its place in the order of creation (positions in the open queue).
    id: u64,
    /// Every key it is a candidate under (its identity, its parts' keys):
    /// removed from the tables when it closes.
    keys: Vec<(Table, u64)>,
    /// The flow's and the host pair's keys (see [`Identity`]).
    flow: Option<(u64, u64)>,
    seen: Vec<Sighting>,
    last_at: i64,
    /// Merged into another journey (GRO joined its segments): skipped at close.
    absorbed: bool,
}

/// The two candidate tables: by identity, and by the key of a packet's parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Table {
    Identity,
    Part,
}

#[derive(Default)]
struct Flow {
    /// The longest sequence of points a packet of this flow was seen at.
    path: Vec<u16>,
    last_at: i64,
}

/// The open journeys and what finds them: sightings go in with
/// [`Matcher::add`] in time order, closed journeys come out of
/// [`Matcher::take`] in order of first sighting.
pub struct Matcher {
    plan: Plan,
    max_in_flight: usize,
    open: VecDeque<Open>,
    by_key: HashMap<u64, Vec<u64>>,
    by_part: HashMap<u64, Vec<u64>>,
    /// Journeys handed out so far: the next one's index.
    emitted: u64,
    flows: HashMap<u64, Flow>,
    closed: VecDeque<Journey>,
    next_index: u64,
    now: i64,
    /// Journeys closed early because the in-flight bound was reached.
    pub closed_early: u64,
    /// The most journeys open at once.
    pub peak_in_flight: usize,
    translations: crate::path::change::Translations,
}

impl Matcher {
    pub fn new(plan: Plan, max_in_flight: usize) -> Self {
        Matcher {
            plan,
            max_in_flight,
            open: VecDeque::new(),
            by_key: HashMap::default(),
            by_part: HashMap::default(),
            emitted: 0,
            flows: HashMap::default(),
            closed: VecDeque::new(),
            next_index: 0,
            now: i64::MIN,
            closed_early: 0,
            peak_in_flight: 0,
            translations: Default::default(),
        }
    }

    /// The next closed journey, in order of first sighting.
    pub fn take(&mut self) -> Option<Journey> {
        self.closed.pop_front()
    }

    /// Closes every journey still open.
    pub fn close_all(&mut self) {
        while !self.open.is_empty() {
            self.close_front();
        }
    }

    pub fn add(&mut self, id: Option<Identity>, s: Sighting) {
        self.now = self.now.max(s.at_ns);
        let window = self.plan.window_ns;
        // Close what nothing can join any more.
        while self.open.front().is_some_and(|j| self.now.saturating_sub(j.last_at) > window) {
            self.close_front();
        }
        let Some(id) = id else {
            // Nothing to match: a journey of one sighting.
            self.create(None, s);
            self.bound_in_flight();
            return;
        };
        let base = self.open.front().map_or(self.next_index, |j| j.id);
        let position = |index: u64| index.checked_sub(base).map(|i| i as usize);
        // The same identity, not yet seen at this point, nearest in time.
        let mut best: Option<(i64, usize)> = None;
        for &index in self.by_key.get(&id.key).map_or(&[][..], Vec::as_slice) {
            let Some((pos, j)) = position(index).and_then(|p| Some((p, self.open.get(p)?))) else { continue };
            let gap = s.at_ns.saturating_sub(j.last_at).saturating_abs();
            if j.absorbed || gap > window || j.seen.iter().any(|x| x.point == s.point) {
                continue;
            }
            if best.is_none_or(|(g, _)| gap < g) {
                best = Some((gap, pos));
            }
        }
        // Else the parts of one datagram: its fragments, or the segments a
        // super-frame was cut into or merged from. Every such journey joins.
        let mut parts: Vec<usize> = Vec::new();
        if best.is_none() {
            let part = s.facts.map(|f| f.part).unwrap_or_default();
            for key in [part.reassembly, part.stream.map(|x| x.0)].into_iter().flatten() {
                for &index in self.by_part.get(&key).map_or(&[][..], Vec::as_slice) {
                    let Some((pos, j)) = position(index).and_then(|p| Some((p, self.open.get(p)?))) else { continue };
                    let gap = s.at_ns.saturating_sub(j.last_at).saturating_abs();
                    if !j.absorbed && gap <= window && !parts.contains(&pos) && belongs(&j.seen, &s) {
                        parts.push(pos);
                    }
                }
            }
            parts.sort_unstable();
        }
        let at = match (best, parts.first()) {
            (Some((_, pos)), _) | (None, Some(&pos)) => {
                for &other in &parts[parts.len().min(1)..] {
                    self.absorb(pos, other);
                }
                let j = &mut self.open[pos];
                // Keep the sightings in time order (a file may be slightly out of order).
                let i = j.seen.partition_point(|x| x.at_ns <= s.at_ns);
                j.seen.insert(i, s);
                j.last_at = j.last_at.max(s.at_ns);
                self.register(pos, &s);
                pos
            }
            (None, None) => {
                let pos = self.create(Some(&id), s);
                self.register(pos, &s);
                pos
            }
        };
        self.learn_flow(at);
        self.bound_in_flight();
    }

    /// A new open journey of one sighting; its position in the queue.
    fn create(&mut self, id: Option<&Identity>, s: Sighting) -> usize {
        let index = self.next_index;
        self.next_index += 1;
        // Two sightings is the common journey; a longer one reallocates once.
        let mut seen = Vec::with_capacity(2);
        seen.push(s);
        let mut keys = Vec::new();
        if let Some(id) = id {
            push_candidate(self.by_key.entry(id.key).or_default(), index);
            keys.push((Table::Identity, id.key));
        }
        self.open.push_back(Open {
            id: index,
            keys,
            flow: id.map(|i| (i.flow, i.hosts)),
            seen,
            last_at: s.at_ns,
            absorbed: false,
        });
        self.open.len() - 1
    }

    /// Makes the journey at `pos` a candidate under the keys of `s`'s parts.
    fn register(&mut self, pos: usize, s: &Sighting) {
        let Some(f) = &s.facts else { return };
        let id = self.open[pos].id;
        for key in [f.part.reassembly, f.part.stream.map(|x| x.0)].into_iter().flatten() {
            if !self.open[pos].keys.contains(&(Table::Part, key)) {
                push_candidate(self.by_part.entry(key).or_default(), id);
                self.open[pos].keys.push((Table::Part, key));
            }
        }
    }

    /// Moves the sightings of the journey at `from` into the one at `into`
    /// (segments GRO merged were journeys of their own until the merged
    /// frame showed they are one packet); `from` stays as a tombstone.
    fn absorb(&mut self, into: usize, from: usize) {
        let (target, keys, seen) = {
            let f = &mut self.open[from];
            f.absorbed = true;
            (self.open[into].id, std::mem::take(&mut self.open[from].keys), std::mem::take(&mut self.open[from].seen))
        };
        let source = self.open[from].id;
        for (table, key) in keys {
            let list = match table {
                Table::Identity => self.by_key.get_mut(&key),
                Table::Part => self.by_part.get_mut(&key),
            };
            if let Some(list) = list {
                list.retain(|&i| i != source);
                if !list.contains(&target) {
                    list.push(target);
                }
            }
            if !self.open[into].keys.contains(&(table, key)) {
                self.open[into].keys.push((table, key));
            }
        }
        let j = &mut self.open[into];
        for s in seen {
            let i = j.seen.partition_point(|x| x.at_ns <= s.at_ns);
            j.seen.insert(i, s);
            j.last_at = j.last_at.max(s.at_ns);
        }
    }

    fn bound_in_flight(&mut self) {
        if self.open.len() > self.max_in_flight {
            self.closed_early += 1;
            self.close_front();
        }
        self.peak_in_flight = self.peak_in_flight.max(self.open.len());
    }

    /// The flow's path is the longest sequence of points one of its packets
    /// reached: learnt as sightings arrive, so that a packet lost early is
    /// judged against the packets of its flow within the window after it.
    fn learn_flow(&mut self, pos: usize) {
        let j = &self.open[pos];
        let Some((flow_key, hosts_key)) = j.flow else { return };
        // Most journeys pass each point once: their points are their sightings'.
        let distinct = j.seen.len() <= 1
            || j.seen.windows(2).all(|w| w[0].point != w[1].point) && {
                let mut ps: Vec<u16> = j.seen.iter().map(|s| s.point).collect();
                ps.sort_unstable();
                ps.windows(2).all(|w| w[0] != w[1])
            };
        let reached = if distinct { j.seen.len() } else { points_of(&j.seen).len() };
        for key in [flow_key, hosts_key] {
            if self.flows.len() >= MAX_FLOWS && !self.flows.contains_key(&key) {
                let idle = self.now.saturating_sub(self.plan.window_ns.saturating_mul(16));
                self.flows.retain(|_, f| f.last_at >= idle);
                if self.flows.len() >= MAX_FLOWS {
                    self.flows.clear();
                }
            }
            let j = &self.open[pos];
            let flow = self.flows.entry(key).or_default();
            flow.last_at = j.last_at;
            if reached > flow.path.len() {
                flow.path = points_of(&j.seen);
            }
        }
    }

    fn close_front(&mut self) {
        let Some(j) = self.open.pop_front() else { return };
        for (table, key) in &j.keys {
            let map = match table {
                Table::Identity => &mut self.by_key,
                Table::Part => &mut self.by_part,
            };
            if let Some(c) = map.get_mut(key) {
                c.retain(|&i| i != j.id);
                if c.is_empty() {
                    map.remove(key);
                }
            }
        }
        if j.absorbed {
            return;
        }
        let (mut lost_after, mut lost_before) = (None, None);
        // The next point of the flow's path, else of the path other packets
        // between the same two hosts took: that the packet never reached.
        let keys = j.flow.map_or([None, None], |(f, h)| [Some(f), Some(h)]);
        let next_of = |key: Option<u64>| {
            let (last, flow) = (j.seen.last()?, self.flows.get(&key?)?);
            let i = flow.path.iter().position(|&p| p == last.point)?;
            flow.path.get(i + 1).map(|&next| (last, next))
        };
        if let Some((last, next)) = keys.into_iter().find_map(next_of) {
            let file = self.plan.points.get(usize::from(next)).map(|p| p.file);
            let capturing = file.and_then(|f| self.plan.files.get(f)).is_some_and(|f| f.covers(last.at_ns, 0));
            if capturing {
                lost_after = Some(last.point);
                lost_before = Some(next);
            }
        }
        let changes = hops(&j.seen, &mut self.translations);
        let journey = Journey { index: self.emitted, seen: j.seen, lost_after, lost_before, changes };
        self.emitted += 1;
        self.closed.push_back(journey);
    }
}

fn push_candidate(list: &mut Vec<u64>, index: u64) {
    if list.len() >= CANDIDATES {
        list.remove(0);
    }
    list.push(index);
}

/// Whether `s` is another part of the packet whose sightings are `seen`
/// (they share its reassembly or stream key): a fragment or segment this
/// point has not shown yet, that the journey's other parts account for.
/// A retransmission repeats a range the point already showed: its own packet.
fn belongs(seen: &[Sighting], s: &Sighting) -> bool {
    let Some(f) = &s.facts else { return false };
    let here = seen.iter().filter(|x| x.point == s.point).filter_map(|x| x.facts.as_ref());
    let elsewhere = || seen.iter().filter(|x| x.point != s.point).filter_map(|x| x.facts.as_ref());
    if let Some((stream, seq, len)) = f.part.stream {
        let range = |x: &Facts| x.part.stream.filter(|p| p.0 == stream).map(|p| (p.1, p.1.wrapping_add(p.2)));
        let (lo, hi) = (seq, seq.wrapping_add(len));
        let overlaps =
            |(a, b): (u32, u32)| lo.wrapping_sub(a) < b.wrapping_sub(a) || a.wrapping_sub(lo) < hi.wrapping_sub(lo);
        let shown_here = here.filter_map(range).any(overlaps);
        // Not the same range as a part elsewhere (that would be the same
        // segment, which its identity matches): a larger or smaller one.
        let covered = elsewhere().filter_map(range).any(|r| overlaps(r) && r != (lo, hi));
        return covered && !shown_here;
    }
    if f.part.reassembly.is_some() {
        // Fragments of one datagram are one packet wherever they are seen
        // (a host may fragment its own datagram); a whole datagram joins
        // only a journey of fragments, never another whole one.
        let shown_here = here.map(|x| x.part.fragment).any(|x| x == f.part.fragment);
        let mut all = seen.iter().filter_map(|x| x.facts.as_ref()).filter(|x| x.part.reassembly == f.part.reassembly);
        let kin = if f.part.fragment.is_some() { all.next().is_some() } else { all.any(|x| x.part.fragment.is_some()) };
        return kin && !shown_here;
    }
    false
}
