//! A finding about the whole capture: what each detector of the summary
//! reports, as a sentence with the first frames it is about.

use crate::scan::sweep::SweepFacts;
use serde::{Deserialize, Serialize};

/// How many frame numbers a finding lists at most: the first ones concerned.
pub const FRAMES_PER_FINDING: usize = 20;

/// A finding about the whole capture, as a sentence with the frames it is about.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureFinding {
    pub kind: FindingKind,
    pub sentence: String,
    /// Up to 20 frame numbers, the first ones concerned.
    pub frames: Vec<u64>,
    /// The numbers a ping sweep's inference rests on (only on `ping_sweep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<SweepFacts>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Pattern,
    PingSweep,
    PathMtu,
    Mss,
    UnsupportedLink,
    /// Only the full-size segments of a TCP connection are sent again.
    FullSizeRetransmissions,
    /// What a kernel log read beside the capture says (`crate::log`).
    KernelLog,
}

variants!(FindingKind[Pattern, PingSweep, PathMtu, Mss, UnsupportedLink, FullSizeRetransmissions, KernelLog]);
