//! The second pass: every file read again, merged in time order on the
//! reference clock, each frame matched to its journey ([`crate::path::matcher`]),
//! and each closed journey added to the findings and tied to the kernel
//! logs' lines. Memory is bounded by the window's traffic, never by the files.

use crate::capture::{CaptureError, CaptureReader, Frame};
use crate::frame::dissect::Dissector;
use crate::frame::ledger::{account, FrameMeta};
use crate::frame::mtu::MtuFacts;
use crate::path::findings::Accumulator;
use crate::path::identity::{identify, Identity};
use crate::path::journey::{Journey, Sighting};
use crate::path::logs::LogPlan;
use crate::path::matcher::Matcher;
use crate::path::plan::{PathSettings, Plan};
use crate::path::point::PointKey;
use crate::path::summary::PathSummary;
use crate::settings::Settings;
use foldhash::HashMap;
use std::collections::VecDeque;

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
    matcher: Matcher,
    acc: Accumulator,
    ignored_frames: u64,
    logs: Option<LogPlan>,
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
            matcher: Matcher::new(plan.clone(), settings.max_in_flight),
            settings,
            plan,
            feeds,
            ignored_frames: 0,
            logs: None,
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

    /// Hands out the journeys closed so far, in order of first sighting,
    /// once the findings and the logs have seen them.
    pub fn drain(&mut self, mut on_journey: impl FnMut(&Journey)) {
        while let Some(j) = self.matcher.take() {
            self.acc.add(&j);
            if let Some(logs) = &mut self.logs {
                logs.journey(&self.plan, &j);
            }
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
        self.matcher.close_all();
        self.drain(&mut on_journey);
        let errors = self.feeds.iter().enumerate().filter_map(|(i, f)| f.error.clone().map(|e| (i, e))).collect();
        let mut summary = self.acc.summary(
            &self.plan,
            errors,
            self.matcher.closed_early,
            self.ignored_frames,
            self.matcher.peak_in_flight,
        );
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
                self.matcher.add(id, s);
            }
        }
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
