//! Path diagnosis: the captures of several points, one packet followed
//! across all of them. Where was it seen, what changed between two points
//! (tags, tunnels, trailers, NAT, TTL), where was it lost, and why.
//!
//! Two passes over the captures, both streaming:
//!
//! ```text
//! survey   every file once: points and their frame counts, time ranges,
//!   ↓      the first packets' identities → clocks, the points' order
//!   ↓      and the matching window                  (survey, clock, order)
//! follow   every file again, merged in time on the reference clock:
//!   ↓      each packet's identity matched within a window  (identity, matcher)
//! journeys in order of first sighting, with changes in words (change)
//!   ↓
//! summary  points in path order, clock offsets, findings   (findings, report)
//! ```
//!
//! The per-frame dissection, ledger and MTU rules are the core's own
//! ([`crate::frame`]); this stage only compares what they say at each point.

pub mod change;
pub mod clock;
mod findings;
/// Packet identity lives with the frame (the single-file scan uses it too).
pub use crate::frame::identity;
pub mod logs;
pub mod matcher;
pub mod order;
pub mod point;
pub mod report;
pub mod survey;

pub use crate::text::seconds;
pub use findings::MAX_FINDING_JOURNEYS;
pub use logs::{LogClock, LogPlan, PathLogEntry};
pub use matcher::{Follower, Journey, PathSettings, Sighting};
pub use point::Point;
pub use survey::{Plan, Survey};

use crate::capture::CaptureError;
use crate::log::matching::LogSettings;
use crate::log::LogFile;
use serde::{Deserialize, Serialize};

/// The kinds of capture-wide path findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathFindingKind {
    /// Packets that reach one point and never the next one of their flow.
    Loss,
    /// Bytes that first appear between two points (tags, tunnel, trailer, padding, FCS).
    BytesAppear,
    /// Bytes that disappear between two points.
    BytesDisappear,
    /// Addresses or ports rewritten between two points (NAT).
    Rewrite,
    /// A conversation one point sees one way only while another sees both.
    OneWay,
    /// A file's clock against the reference file's (the first point's).
    ClockOffset,
    /// The in-flight bound closed journeys before their window ended.
    Bound,
    /// What a kernel log says about the path's packets (`--log`).
    KernelLog,
}

variants!(PathFindingKind[Loss, BytesAppear, BytesDisappear, Rewrite, OneWay, ClockOffset, Bound, KernelLog]);

/// One capture-wide finding: a sentence and the journeys it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathFinding {
    pub kind: PathFindingKind,
    pub sentence: String,
    /// Journey indexes, at most [`MAX_FINDING_JOURNEYS`].
    pub journeys: Vec<u64>,
    /// For a loss: (the last point that saw the packets, the point they never reached).
    #[serde(skip)]
    pub between: Option<(u16, u16)>,
}

/// How many journeys the diagnosis followed, and of what kind: the
/// `counts` of `path --json`'s summary line, in that order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathCounts {
    pub journeys: u64,
    /// Journeys seen at more than one point.
    pub multi_point: u64,
    pub changed_size: u64,
    pub lost: u64,
    /// Journeys closed early because the in-flight bound was reached.
    pub closed_early: u64,
    /// Frames of points beyond [`point::MAX_POINTS`] or unknown to the survey.
    pub ignored_frames: u64,
    /// The most journeys open at once.
    pub peak_in_flight: u64,
}

/// What the whole path diagnosis found.
#[derive(Clone, Debug)]
pub struct PathSummary {
    /// Point indexes along the path in the direction most packets take.
    pub points_in_order: Vec<u16>,
    /// The points the other direction's packets pass, in their order.
    pub points_in_order_reverse: Vec<u16>,
    /// (file as given, offset in ns against the reference file), the reference first.
    pub clock_offsets: Vec<(String, i64)>,
    pub findings: Vec<PathFinding>,
    pub counts: PathCounts,
    /// Files that stopped at a fault: (file index, error).
    pub errors: Vec<(usize, CaptureError)>,
    /// The recognised lines of the kernel logs, in log order, with their journeys (`--log`).
    pub log: Vec<PathLogEntry>,
    /// The logs' clocks against the reference capture's, where matches found them.
    pub log_clocks: Vec<LogClock>,
}

/// The chunk size [`follow_bytes`] feeds: what a face reading files would use.
const CHUNK: usize = 1 << 16;

/// Both passes over captures held in memory (tests, the web app's small
/// files): `files` are (name as given, bytes). Returns the plan (points,
/// clock offsets) and the summary; journeys go to `on_journey` in order.
pub fn follow_bytes(
    files: &[(&str, &[u8])],
    settings: PathSettings,
    on_journey: impl FnMut(&Plan, &Journey),
) -> (Plan, PathSummary) {
    follow_bytes_with_logs(files, Vec::new(), LogSettings::default(), settings, on_journey)
}

/// [`follow_bytes`] with kernel logs read beside the captures: the summary's
/// `log` holds their lines with the journeys they are about.
pub fn follow_bytes_with_logs(
    files: &[(&str, &[u8])],
    logs: Vec<LogFile>,
    log_settings: LogSettings,
    settings: PathSettings,
    mut on_journey: impl FnMut(&Plan, &Journey),
) -> (Plan, PathSummary) {
    let mut survey = Survey::new(files.len(), settings.frame).with_window(settings.window_ns);
    if !logs.is_empty() {
        survey = survey.with_logs(logs, log_settings);
    }
    for (i, (_, bytes)) in files.iter().enumerate() {
        for chunk in bytes.chunks(CHUNK) {
            if survey.push(i, chunk).is_err() {
                break;
            }
        }
    }
    let names: Vec<String> = files.iter().map(|(n, _)| n.to_string()).collect();
    let (plan, log_plan) = survey.finish_with_logs(&names);
    let mut follower = Follower::new(plan.clone(), settings).with_logs(log_plan);
    let mut at = vec![0usize; files.len()];
    while let Some(f) = follower.wants() {
        let bytes = files[f].1;
        let end = (at[f] + CHUNK).min(bytes.len());
        if at[f] >= end {
            follower.end(f);
        } else {
            follower.push(f, &bytes[at[f]..end]);
            at[f] = end;
        }
        follower.drain(|j| on_journey(&plan, j));
    }
    let summary = follower.finish(|j| on_journey(&plan, j));
    (plan, summary)
}
