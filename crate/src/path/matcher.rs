//! The second pass: every file read again, merged in time order on the first
//! file's clock, and each packet matched to the journey it belongs to.
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

use crate::capture::{CaptureError, CaptureReader, Frame};
use crate::frame::dissect::Dissector;
use crate::frame::ledger::{account, FrameMeta};
use crate::frame::mtu::MtuFacts;
use crate::path::change::{between, Change, ChangeKind};
use crate::path::findings::Accumulator;
use crate::path::identity::{identify, Facts, Identity};
use crate::path::logs::LogPlan;
use crate::path::point::PointKey;
use crate::path::survey::Plan;
use crate::path::PathSummary;
use crate::settings::Settings;
use foldhash::HashMap;
use std::collections::VecDeque;

/// The default matching window: far longer than any path's transit time
/// (microseconds to milliseconds) and than what is left of a clock offset
/// after the estimate, shorter than the one-second interval of `ping`.
pub const DEFAULT_WINDOW_NS: i64 = 500_000_000;
/// The default bound on open journeys.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 1 << 18;
/// Open journeys one identity keeps as candidates: repeats beyond that many
/// within a window (the same ACK a hundred times) match the newest ones.
const CANDIDATES: usize = 8;
/// Flows whose path is remembered for the loss verdict.
const MAX_FLOWS: usize = 1 << 16;

/// How the matcher works, beside the frame settings the MTU verdicts use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathSettings {
    pub frame: Settings,
    /// Two sightings of one identity further apart than this are two packets.
    pub window_ns: i64,
    pub max_in_flight: usize,
}

impl Default for PathSettings {
    fn default() -> Self {
        PathSettings { frame: Settings::default(), window_ns: DEFAULT_WINDOW_NS, max_in_flight: DEFAULT_MAX_IN_FLIGHT }
    }
}

/// One sighting of a packet at one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sighting {
    pub point: u16,
    /// The frame's number in its own file, as `framelens --json FILE` numbers it.
    pub frame: u64,
    /// Byte offset of its record or block in its file (to read it again).
    pub offset: u64,
    /// The timestamp as its file recorded it.
    pub time_ns: i64,
    /// The same instant on the reference clock (the first point's file).
    pub at_ns: i64,
    /// Original (on the wire) and captured length.
    pub len: u32,
    pub caplen: u32,
    /// The outermost datagram's length, and the captured bytes after it (the ledger's).
    pub datagram: Option<u32>,
    pub extra: Option<u32>,
    /// What a path changes of the packet; `None` for a frame without an IP
    /// datagram (ARP, LLDP, STP), which stays on its link: a journey of one sighting.
    pub facts: Option<Facts>,
}

impl Sighting {
    /// The unexplained or vendor bytes after the datagram here, if any:
    /// what a loss sentence names as the bytes a packet carried.
    pub fn extra_region(&self) -> Option<crate::path::identity::RegionFacts> {
        use crate::frame::ledger::RegionKind;
        let facts = self.facts.as_ref()?;
        facts.regions.iter().flatten().find(|r| matches!(r.kind, RegionKind::Trailer | RegionKind::Vendor)).copied()
    }
}

/// One packet followed across the points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journey {
    /// 0-based, in order of first sighting.
    pub index: u64,
    /// In time order.
    pub seen: Vec<Sighting>,
    /// The last point that saw it, when later points saw the rest of its
    /// flow in that direction (and were capturing at the time).
    pub lost_after: Option<u16>,
    /// The point the rest of its flow reached next.
    pub lost_before: Option<u16>,
    /// The changes between consecutive sightings: (from point, to point, change).
    pub changes: Vec<(u16, u16, Change)>,
}

impl Journey {
    /// Frame lengths differ between its first and last sighting.
    pub fn changed_size(&self) -> bool {
        self.seen.windows(2).any(|w| w[0].len != w[1].len)
    }
}

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

struct Feed {
    reader: CaptureReader,
    dissector: Dissector,
    queue: VecDeque<(Option<Identity>, Sighting)>,
    ended: bool,
    clock: crate::path::clock::ClockOffset,
    rank: usize,
    last_ts: i64,
    points: HashMap<PointKey, u16>,
    error: Option<CaptureError>,
}

/// The second pass. Ask [`Follower::wants`] which file needs bytes next,
/// [`Follower::push`] them (or [`Follower::end`] the file), take closed
/// journeys with [`Follower::drain`], and [`Follower::finish`] at the end.
pub struct Follower {
    settings: PathSettings,
    plan: Plan,
    feeds: Vec<Feed>,
    open: VecDeque<Open>,
    by_key: HashMap<u64, Vec<u64>>,
    by_part: HashMap<u64, Vec<u64>>,
    /// Journeys handed out so far: the next one's index.
    emitted: u64,
    flows: HashMap<u64, Flow>,
    closed: VecDeque<Journey>,
    next_index: u64,
    now: i64,
    acc: Accumulator,
    closed_early: u64,
    ignored_frames: u64,
    peak_in_flight: usize,
    logs: Option<LogPlan>,
    translations: crate::path::change::Translations,
}

impl Follower {
    pub fn new(plan: Plan, settings: PathSettings) -> Self {
        let feeds = plan
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| Feed {
                reader: CaptureReader::new(),
                dissector: Dissector::new(),
                queue: VecDeque::new(),
                ended: false,
                clock: f.clock,
                rank: f.rank,
                last_ts: 0,
                points: plan.points.iter().filter(|p| p.file == i).map(|p| (p.key, p.index)).collect(),
                error: None,
            })
            .collect();
        Follower {
            acc: Accumulator::new(settings.frame),
            settings,
            plan,
            feeds,
            open: VecDeque::new(),
            by_key: HashMap::default(),
            by_part: HashMap::default(),
            emitted: 0,
            flows: HashMap::default(),
            closed: VecDeque::new(),
            next_index: 0,
            now: i64::MIN,
            closed_early: 0,
            ignored_frames: 0,
            peak_in_flight: 0,
            logs: None,
            translations: Default::default(),
        }
    }

    /// Ties the lines of kernel logs (lined up by the survey) to the journeys as they close.
    pub fn with_logs(mut self, logs: Option<LogPlan>) -> Self {
        self.logs = logs;
        self
    }

    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// What reading one frame of `file` again needs: its reader's context
    /// blocks so far, and whether they are complete (see [`crate::capture::context_for`]).
    pub fn context(&self, file: usize) -> (&[crate::capture::ContextBlock], bool) {
        self.feeds.get(file).map_or((&[][..], true), |f| (f.reader.context(), f.reader.context_complete()))
    }

    /// The file whose next bytes the merge waits for, or `None` once every file has ended.
    pub fn wants(&self) -> Option<usize> {
        self.feeds.iter().position(|f| !f.ended && f.queue.is_empty())
    }

    /// Feeds the next chunk of `file`. A fault ends that file (its packets before it count).
    pub fn push(&mut self, file: usize, chunk: &[u8]) {
        let settings = self.settings.frame;
        let Some(feed) = self.feeds.get_mut(file) else { return };
        if feed.ended {
            return;
        }
        let Feed { reader, dissector, queue, clock, last_ts, points, error, .. } = feed;
        let mut ignored = 0u64;
        let r = reader.push(chunk, |p| {
            let Some(&point) = points.get(&PointKey::of(&p)) else {
                ignored += 1;
                return;
            };
            queue.push_back(sight(dissector, &p, point, clock, last_ts, &settings));
        });
        self.ignored_frames += ignored;
        if let Err(e) = r {
            *error = Some(e);
            feed.ended = true;
        }
        self.advance();
    }

    /// Ends `file`'s input.
    pub fn end(&mut self, file: usize) {
        if let Some(feed) = self.feeds.get_mut(file) {
            if let Err(e) = feed.reader.finish() {
                feed.error.get_or_insert(e);
            }
            feed.ended = true;
        }
        self.advance();
    }

    /// Hands out the journeys closed so far, in order of first sighting.
    pub fn drain(&mut self, mut on_journey: impl FnMut(&Journey)) {
        while let Some(j) = self.closed.pop_front() {
            on_journey(&j);
        }
    }

    /// Closes every open journey, hands the rest out, and sums up.
    pub fn finish(mut self, mut on_journey: impl FnMut(&Journey)) -> PathSummary {
        for f in 0..self.feeds.len() {
            if !self.feeds[f].ended {
                self.end(f);
            }
        }
        while !self.open.is_empty() {
            self.close_front();
            self.drain(&mut on_journey);
        }
        self.drain(&mut on_journey);
        let errors = self.feeds.iter().enumerate().filter_map(|(i, f)| f.error.clone().map(|e| (i, e))).collect();
        let mut summary =
            self.acc.summary(&self.plan, errors, self.closed_early, self.ignored_frames, self.peak_in_flight);
        if let Some(logs) = self.logs.take() {
            (summary.log, summary.log_clocks) = logs.finish(&self.plan, &mut summary.findings);
        }
        summary
    }

    /// Merges the queued sightings in time order as far as every unfinished file has some.
    fn advance(&mut self) {
        loop {
            if self.feeds.iter().any(|f| !f.ended && f.queue.is_empty()) {
                return;
            }
            // Equal times go to the file of lower rank: never to the input order.
            let next = self
                .feeds
                .iter()
                .enumerate()
                .filter_map(|(i, f)| f.queue.front().map(|(_, s)| (s.at_ns, f.rank, i)))
                .min();
            let Some((_, _, file)) = next else { return };
            if let Some((id, s)) = self.feeds[file].queue.pop_front() {
                self.add(id, s);
            }
        }
    }

    fn add(&mut self, id: Option<Identity>, s: Sighting) {
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
        if self.open.len() > self.settings.max_in_flight {
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
            let points = points_of(&j.seen);
            if points.len() > flow.path.len() {
                flow.path = points;
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
        self.acc.add(&journey);
        if let Some(logs) = &mut self.logs {
            logs.journey(&self.plan, &journey);
        }
        self.closed.push_back(journey);
    }
}

fn push_candidate(list: &mut Vec<u64>, index: u64) {
    if list.len() >= CANDIDATES {
        list.remove(0);
    }
    list.push(index);
}

/// The points a journey passed, in order of their first sighting.
pub fn points_of(seen: &[Sighting]) -> Vec<u16> {
    let mut v: Vec<u16> = Vec::with_capacity(seen.len());
    for s in seen {
        if !v.contains(&s.point) {
            v.push(s.point);
        }
    }
    v
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

/// The changes hop by hop: between the sightings of consecutive points,
/// or, where one point saw the packet in several frames and the next in
/// another number of them, the split or merge itself.
fn hops(seen: &[Sighting], translations: &mut crate::path::change::Translations) -> Vec<(u16, u16, Change)> {
    let points = points_of(seen);
    let at = |p: u16| seen.iter().filter(move |s| s.point == p).collect::<Vec<_>>();
    let mut out = Vec::new();
    for w in points.windows(2) {
        let (a, b) = (at(w[0]), at(w[1]));
        if a.len() == b.len() {
            for (x, y) in a.iter().zip(&b) {
                if let (Some(fx), Some(fy)) = (&x.facts, &y.facts) {
                    for c in between(fx, fy, translations) {
                        if !out
                            .iter()
                            .any(|(p, q, o): &(u16, u16, Change)| (*p, *q) == (w[0], w[1]) && o.words == c.words)
                        {
                            out.push((w[0], w[1], c));
                        }
                    }
                }
            }
        } else {
            out.push((w[0], w[1], crate::path::change::split(&a, &b)));
            // What else the hop did (NAT, TTL, tags, a tunnel), read off the
            // first frame on each side; their sizes are the split's.
            if let (Some(fx), Some(fy)) =
                (a.first().and_then(|x| x.facts.as_ref()), b.first().and_then(|y| y.facts.as_ref()))
            {
                for c in between(fx, fy, translations) {
                    if !matches!(c.kind, ChangeKind::Datagram | ChangeKind::Region(_)) {
                        out.push((w[0], w[1], c));
                    }
                }
            }
        }
    }
    out
}

fn sight(
    dissector: &mut Dissector,
    p: &Frame<'_>,
    point: u16,
    clock: &crate::path::clock::ClockOffset,
    last_ts: &mut i64,
    settings: &Settings,
) -> (Option<Identity>, Sighting) {
    // A record without a timestamp takes its predecessor's: order is all the merge needs.
    let time_ns = p.timestamp_ns.unwrap_or(*last_ts);
    *last_ts = time_ns;
    let d = dissector.facts(p.data, p.link_type, p.original_len);
    let ledger = account(d, p.data, FrameMeta { original_len: p.original_len, fcs: p.fcs }, settings);
    let identified = identify(d, p.data, &ledger, &MtuFacts::new(d, &ledger), settings);
    let datagram = ledger.datagram_len();
    let (id, facts) = identified.map_or((None, None), |(i, f)| (Some(i), Some(f)));
    (
        id,
        Sighting {
            point,
            frame: p.number,
            offset: p.offset,
            time_ns,
            at_ns: clock.to_reference(time_ns),
            len: ledger.len,
            caplen: ledger.caplen,
            datagram,
            extra: ledger.extra,
            facts,
        },
    )
}
