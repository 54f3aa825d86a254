//! What the survey hands the second pass: the files with their clocks and
//! ranks, the points in path order, how that order was found, the
//! matching window; and the settings the follow runs with.

use crate::capture::CaptureError;
use crate::path::clock::ClockOffset;
use crate::path::point::{Point, PointKey, UnknownPoint};
use crate::settings::Settings;

/// The default matching window: far longer than any path's transit time
/// (microseconds to milliseconds) and than what is left of a clock offset
/// after the estimate, shorter than the one-second interval of `ping`.
pub const DEFAULT_WINDOW_NS: i64 = 500_000_000;
/// The default bound on open journeys.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 1 << 18;

/// How the matcher works, beside the frame settings the MTU verdicts use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathSettings {
    pub frame: Settings,
    /// The smallest matching window: the survey widens it to the delays and
    /// clock uncertainty the captures show ([`Plan::window_ns`]).
    pub window_ns: i64,
    pub max_in_flight: usize,
}

impl Default for PathSettings {
    fn default() -> Self {
        PathSettings { frame: Settings::default(), window_ns: DEFAULT_WINDOW_NS, max_in_flight: DEFAULT_MAX_IN_FLIGHT }
    }
}

/// What the survey learnt of one file.
#[derive(Clone, Debug)]
pub struct FileInfo {
    /// As given (the command line's spelling).
    pub name: String,
    pub frames: u64,
    /// First and last timestamp, on the file's own clock.
    pub first_ns: Option<i64>,
    pub last_ns: Option<i64>,
    /// This file's clock against the reference file's.
    pub clock: ClockOffset,
    /// The file's place in the canonical order (0 = the reference file):
    /// ties anywhere in the analysis go to the lower rank, never to the
    /// order the files were given.
    pub rank: usize,
    /// The fault that stopped the reader, if any: every packet before it counts.
    pub error: Option<CaptureError>,
}

impl FileInfo {
    /// Whether the file was capturing at `at_ns` on the reference clock.
    pub fn covers(&self, at_ns: i64, slack_ns: i64) -> bool {
        match (self.first_ns, self.last_ns) {
            (Some(a), Some(b)) => {
                self.clock.to_reference(a).saturating_sub(slack_ns) <= at_ns
                    && at_ns <= self.clock.to_reference(b).saturating_add(slack_ns)
            }
            _ => false,
        }
    }
}

/// How the points' order was found, and what could not be decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathOrder {
    /// The user gave it (`--order`, or the page's column order).
    pub given: bool,
    /// How it was found, in a sentence or two.
    pub sentence: String,
    /// The points the other direction's packets pass, in their order.
    pub reverse: Vec<u16>,
    /// Neighbours in the path order that no packet orders.
    pub undecided: Vec<(u16, u16)>,
    /// Other orders the evidence allows equally (each undecided pair swapped).
    pub competing: Vec<Vec<u16>>,
    /// Entries of a given order that name no point.
    pub unknown: Vec<UnknownPoint>,
}

/// The survey's result: what the second pass follows packets across.
#[derive(Clone, Debug)]
pub struct Plan {
    pub files: Vec<FileInfo>,
    /// In path order: `points[i].index == i`.
    pub points: Vec<Point>,
    pub order: PathOrder,
    /// The file whose clock every time is put on: the first point's.
    pub reference: usize,
    /// The smallest matching window: the survey widens it to the delays and
    /// clock uncertainty the captures show ([`Plan::window_ns`]).
    /// the settings' window, widened to the delays and clock uncertainty the
    /// captures show.
    pub window_ns: i64,
}

impl Plan {
    pub fn point_index(&self, file: usize, key: PointKey) -> Option<u16> {
        self.points.iter().find(|p| p.file == file && p.key == key).map(|p| p.index)
    }

    /// The files in canonical order (the reference first).
    pub fn files_by_rank(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.files.len()).collect();
        v.sort_by_key(|&f| self.files[f].rank);
        v
    }
}
