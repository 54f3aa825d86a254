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
use crate::path::change::{between, Change};
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
    index: u64,
    /// `None` for a frame without an IP identity: it matches nothing.
    key: Option<u64>,
    /// The flow's and the host pair's keys (see [`Identity`]).
    flow: Option<(u64, u64)>,
    seen: Vec<Sighting>,
    last_at: i64,
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
        let base = self.open.front().map_or(self.next_index, |j| j.index);
        let mut best: Option<(i64, usize)> = None;
        let Some(id) = id else {
            // Nothing to match: a journey of one sighting.
            let index = self.next_index;
            self.next_index += 1;
            self.open.push_back(Open { index, key: None, flow: None, seen: vec![s], last_at: s.at_ns });
            self.bound_in_flight();
            return;
        };
        if let Some(cands) = self.by_key.get(&id.key) {
            for &index in cands {
                let Some(j) = index.checked_sub(base).and_then(|i| self.open.get(i as usize)) else { continue };
                let gap = s.at_ns.saturating_sub(j.last_at).saturating_abs();
                if gap > window || j.seen.iter().any(|x| x.point == s.point) {
                    continue;
                }
                if best.is_none_or(|(g, _)| gap < g) {
                    best = Some((gap, (index - base) as usize));
                }
            }
        }
        let at = match best {
            Some((_, pos)) => {
                let j = &mut self.open[pos];
                // Keep the sightings in time order (a file may be slightly out of order).
                let i = j.seen.partition_point(|x| x.at_ns <= s.at_ns);
                j.seen.insert(i, s);
                j.last_at = j.last_at.max(s.at_ns);
                pos
            }
            None => {
                let index = self.next_index;
                self.next_index += 1;
                // Two sightings is the common journey; a longer one reallocates once.
                let mut seen = Vec::with_capacity(2);
                seen.push(s);
                self.open.push_back(Open {
                    index,
                    key: Some(id.key),
                    flow: Some((id.flow, id.hosts)),
                    seen,
                    last_at: s.at_ns,
                });
                let cands = self.by_key.entry(id.key).or_default();
                if cands.len() >= CANDIDATES {
                    cands.remove(0);
                }
                cands.push(index);
                self.open.len() - 1
            }
        };
        self.learn_flow(at);
        self.bound_in_flight();
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
            if j.seen.len() > flow.path.len() {
                flow.path.clear();
                flow.path.extend(j.seen.iter().map(|s| s.point));
            }
        }
    }

    fn close_front(&mut self) {
        let Some(j) = self.open.pop_front() else { return };
        if let Some(key) = j.key {
            if let Some(c) = self.by_key.get_mut(&key) {
                c.retain(|&i| i != j.index);
                if c.is_empty() {
                    self.by_key.remove(&key);
                }
            }
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
        let changes = j
            .seen
            .windows(2)
            .filter_map(|w| Some((w[0].point, w[1].point, w[0].facts.as_ref()?, w[1].facts.as_ref()?)))
            .flat_map(|(a, b, x, y)| between(x, y, &mut self.translations).into_iter().map(move |c| (a, b, c)))
            .collect();
        let journey = Journey { index: j.index, seen: j.seen, lost_after, lost_before, changes };
        self.acc.add(&journey);
        if let Some(logs) = &mut self.logs {
            logs.journey(&self.plan, &journey);
        }
        self.closed.push_back(journey);
    }
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
