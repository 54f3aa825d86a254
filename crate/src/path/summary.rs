//! What the whole path diagnosis found: the capture-wide findings, the
//! counts, the errors, the kernel-log lines with their journeys. Data only.

use crate::capture::CaptureError;
use crate::log::matching::LogLineFields;
use serde::{Deserialize, Serialize};

/// Journeys a finding lists; the sentence gives the full count.
pub const MAX_FINDING_JOURNEYS: usize = 1000;
/// The kinds of capture-wide path findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// One recognised log line, as `framelens path --json` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PathLogEntry {
    #[serde(flatten)]
    pub fields: LogLineFields,
    /// The journeys the line is about; empty when it matched none.
    pub journeys: Vec<u64>,
    /// The capture file whose frames the line matched.
    #[serde(skip)]
    pub capture: Option<usize>,
    /// Those frames, in that file's numbering.
    #[serde(skip)]
    pub frames: Vec<u64>,
    /// The last point of the line's journey, once it closed.
    #[serde(skip)]
    pub last_point: Option<u16>,
    /// Its journey was lost between two points (the loss finding tells it).
    #[serde(skip)]
    pub lost: bool,
}

/// A log's clock against the reference capture's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogClock {
    /// The log as given.
    pub file: String,
    /// Wall-clock logs: the log's time minus the reference capture's for the same
    /// instant (as the captures' offsets). `dmesg` logs without wall time:
    /// the boot time on the reference capture's clock.
    pub offset_ns: i64,
    /// The log counts seconds since boot.
    pub boot: bool,
    /// Drop lines the estimate rests on, and the capture they matched.
    pub matches: u64,
    pub capture: usize,
}
