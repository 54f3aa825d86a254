//! Path diagnosis: the captures of several points, one packet followed
//! across all of them. Where was it seen, what changed between two points
//! (tags, tunnels, trailers, NAT, TTL), where was it lost, and why.
//!
//! Two passes over the captures, both streaming:
//!
//! ```text
//! survey   every file once: points and their frame counts, time ranges,
//!   ↓      the first packets' identities → clocks, the points' order
//!   ↓      and the matching window → a plan   (survey, clock, order, plan)
//! follow   every file again, merged in time on the reference clock
//!   ↓      (follow): each frame matched to its journey (matcher), the
//!   ↓      changes hop by hop (hop, change)
//! journeys in order of first sighting (journey)
//!   ↓
//! summary  findings, counts, kernel-log lines (findings, logs, summary)
//! ```
//!
//! Imports run down that list: data types (point, plan, journey, summary)
//! are leaves, `follow` drives the matcher, the findings and the logs.
//!
//! The per-frame dissection, ledger and MTU rules are the core's own
//! ([`crate::frame`]); this stage only compares what they say at each point.

pub mod change;
pub mod clock;
mod findings;
pub mod follow;
pub mod hop;
/// Packet identity lives with the frame (the single-file scan uses it too).
pub use crate::frame::identity;
pub mod journey;
pub mod logs;
pub mod matcher;
pub mod order;
pub mod plan;
pub mod point;
pub mod report;
pub mod summary;
pub mod survey;

pub use crate::text::seconds;
pub use follow::Follower;
pub use journey::{Journey, Sighting};
pub use logs::LogPlan;
pub use plan::{PathSettings, Plan};
pub use point::Point;
pub use summary::{
    LogClock, PathCounts, PathFinding, PathFindingKind, PathLogEntry, PathSummary, MAX_FINDING_JOURNEYS,
};
pub use survey::Survey;

use crate::log::matching::LogSettings;
use crate::log::LogFile;

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
    let mut survey = Survey::new(files.len(), settings);
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
