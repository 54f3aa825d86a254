//! The JSON Lines contract of `framelens path --json`, documented in
//! docs/path.md: one `{"point": …}` per capture point, one
//! `{"journey": …}` per packet in order of first sighting, and a last
//! `{"path_summary": …}`. Field names are a public contract.

use crate::path::journey::Journey;
use crate::path::plan::Plan;
use crate::path::point::Point;
use crate::path::summary::{PathCounts, PathFinding, PathLogEntry, PathSummary};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

#[derive(Serialize)]
pub struct PointFields<'a> {
    pub index: u16,
    /// As given on the command line.
    pub file: &'a str,
    /// The pcapng interface index or the SLL2 ifindex; 0 for pcap.
    pub interface: u32,
    pub name: Option<&'a str>,
    pub link_type: u16,
    pub frames: u64,
}

#[derive(Serialize)]
pub struct PointLine<'a> {
    pub point: PointFields<'a>,
}

pub fn point_line<'a>(plan: &'a Plan, p: &'a Point) -> PointLine<'a> {
    PointLine {
        point: PointFields {
            index: p.index,
            file: plan.files.get(p.file).map_or("", |f| f.name.as_str()),
            interface: p.interface(),
            name: p.name.as_deref(),
            link_type: p.link_type,
            frames: p.frames,
        },
    }
}

#[derive(Serialize)]
pub struct SeenFields {
    pub point: u16,
    /// The frame's number in its own file (as `framelens --json FILE`).
    pub frame: u64,
    /// As its file recorded it (subtract the file's clock offset for the reference clock).
    pub time_ns: i64,
    /// Frame length on the wire.
    pub len: u32,
    /// The outermost datagram's length and the captured bytes after it.
    pub datagram: Option<u32>,
    pub extra: Option<u32>,
}

#[derive(Serialize)]
pub struct JourneyFields {
    pub index: u64,
    pub seen: Vec<SeenFields>,
    pub lost_after: Option<u16>,
    pub changes: Vec<String>,
}

#[derive(Serialize)]
pub struct JourneyLine {
    pub journey: JourneyFields,
}

/// A change as the contract writes it: `from → to: words`, points by label.
pub fn change_text(plan: &Plan, from: u16, to: u16, words: &str) -> String {
    let label = |p: u16| plan.points.get(usize::from(p)).map_or_else(|| p.to_string(), |x| x.label.clone());
    format!("{} → {}: {words}", label(from), label(to))
}

pub fn journey_line(plan: &Plan, j: &Journey) -> JourneyLine {
    JourneyLine {
        journey: JourneyFields {
            index: j.index,
            seen: j
                .seen
                .iter()
                .map(|s| SeenFields {
                    point: s.point,
                    frame: s.frame,
                    time_ns: s.time_ns,
                    len: s.len,
                    datagram: s.datagram,
                    extra: s.extra,
                })
                .collect(),
            lost_after: j.lost_after,
            changes: j.changes.iter().map(|(a, b, c)| change_text(plan, *a, *b, &c.words)).collect(),
        },
    }
}

/// `{FILE: NS}`, the reference file first.
pub struct Offsets<'a>(pub &'a [(String, i64)]);

impl Offsets<'_> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Offsets<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (file, ns) in self.0 {
            m.serialize_entry(file, ns)?;
        }
        m.end()
    }
}

#[derive(Serialize)]
pub struct ErrorFields<'a> {
    pub file: &'a str,
    pub offset: u64,
    pub message: String,
}

/// How the points' order was found (`path_summary.order`).
#[derive(Serialize)]
pub struct OrderFields<'a> {
    /// The user gave it with `--order`.
    pub given: bool,
    pub sentence: &'a str,
    /// Neighbours in the path order that no packet orders.
    pub undecided: &'a [(u16, u16)],
    /// Other orders the evidence allows equally.
    pub competing: &'a [Vec<u16>],
}

/// One file's clock against the reference (`path_summary.clocks`), the reference first.
#[derive(Serialize)]
pub struct ClockFields<'a> {
    pub file: &'a str,
    /// This file's time minus the reference's for the same instant, at the
    /// reference file's first timestamp.
    pub offset_ns: i64,
    /// Drift in parts per billion.
    pub rate_ppb: i64,
    /// Half the interval the offset lies in (both directions seen), else 0.
    pub uncertainty_ns: i64,
    /// `"at_most"` or `"at_least"` when one direction only was seen: then the offset is a bound.
    pub bound: Option<&'static str>,
    pub both_ways: bool,
    pub matched: u32,
    pub estimated: bool,
}

#[derive(Serialize)]
pub struct SummaryFields<'a> {
    pub points_in_order: &'a [u16],
    pub points_in_order_reverse: &'a [u16],
    pub order: OrderFields<'a>,
    pub clock_offsets_ns: Offsets<'a>,
    pub clocks: Vec<ClockFields<'a>>,
    /// The matching window the survey chose from the captures' delays and clocks.
    pub window_ns: i64,
    pub findings: &'a [PathFinding],
    pub counts: PathCounts,
    pub errors: Vec<ErrorFields<'a>>,
    /// With `--log`: each wall-clock log's time minus the reference capture's for
    /// the same instant, where its lines matched packets. Absent otherwise.
    #[serde(skip_serializing_if = "Offsets::is_empty")]
    pub log_clock_offsets_ns: Offsets<'a>,
}

#[derive(Serialize)]
pub struct PathSummaryLine<'a> {
    pub path_summary: SummaryFields<'a>,
}

/// One `{"log": …}` line: a recognised kernel-log line and its journeys.
#[derive(Serialize)]
pub struct LogLine<'a> {
    pub log: &'a PathLogEntry,
}

pub fn log_line(e: &PathLogEntry) -> LogLine<'_> {
    LogLine { log: e }
}

/// The wall-clock logs' offsets as the summary line writes them.
pub fn log_offsets(s: &PathSummary) -> Vec<(String, i64)> {
    s.log_clocks.iter().filter(|c| !c.boot).map(|c| (c.file.clone(), c.offset_ns)).collect()
}

/// The summary line; `log_offsets` from [`log_offsets`] (empty without `--log`).
pub fn summary_line<'a>(plan: &'a Plan, s: &'a PathSummary, log_offsets: &'a [(String, i64)]) -> PathSummaryLine<'a> {
    PathSummaryLine {
        path_summary: SummaryFields {
            points_in_order: &s.points_in_order,
            points_in_order_reverse: &s.points_in_order_reverse,
            order: OrderFields {
                given: plan.order.given,
                sentence: &plan.order.sentence,
                undecided: &plan.order.undecided,
                competing: &plan.order.competing,
            },
            clock_offsets_ns: Offsets(&s.clock_offsets),
            clocks: plan
                .files_by_rank()
                .into_iter()
                .map(|f| {
                    let (info, c) = (&plan.files[f], &plan.files[f].clock);
                    ClockFields {
                        file: &info.name,
                        offset_ns: c.offset_ns,
                        rate_ppb: c.rate_ppb,
                        uncertainty_ns: c.uncertainty_ns,
                        bound: c.bound.map(|b| match b {
                            crate::path::clock::Bound::AtMost => "at_most",
                            crate::path::clock::Bound::AtLeast => "at_least",
                        }),
                        both_ways: c.both_ways,
                        matched: c.matched,
                        estimated: c.estimated,
                    }
                })
                .collect(),
            window_ns: plan.window_ns,
            findings: &s.findings,
            counts: s.counts,
            errors: s
                .errors
                .iter()
                .map(|(f, e)| ErrorFields {
                    file: plan.files.get(*f).map_or("", |x| x.name.as_str()),
                    offset: e.offset,
                    message: e.to_string(),
                })
                .collect(),
            log_clock_offsets_ns: Offsets(log_offsets),
        },
    }
}
