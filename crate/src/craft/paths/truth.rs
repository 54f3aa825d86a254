//! What really happened in a generated multi-point story: which frames are
//! one packet, where each packet was lost, the order of the points and the
//! clocks. A story's generator writes its captures and this truth side by
//! side, so that a test can hold path diagnosis to it exactly, in every
//! order of the files.

/// A capture point by the names a user sees: the file as given and the
/// interface as the point's label shows it (the pcapng `if_name`, else the
/// interface index in decimal; a Linux cooked v2 capture's ifindex).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PointName {
    pub file: String,
    pub interface: String,
}

impl PointName {
    pub fn new(file: &str, interface: &str) -> Self {
        PointName { file: file.to_string(), interface: interface.to_string() }
    }
}

/// One frame of one capture: the file as given and the frame's 1-based
/// number in it (as `framelens --json FILE` numbers it).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FrameRef {
    pub file: String,
    pub frame: u64,
}

/// Which way a packet goes along the story's path.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Along [`Truth::path`] (the direction of the story's first packet).
    Out,
    /// Against it.
    Back,
}

/// One packet of the story: every frame that shows it, and its fate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TruePacket {
    /// Every frame, in any capture, that shows this packet. A frame seen at
    /// one point only (ARP, LLDP, a packet lost before the next point) is a
    /// packet of one frame.
    pub frames: Vec<FrameRef>,
    pub direction: Direction,
    /// Where it was lost: the last point that saw it and the next point of
    /// its direction that was capturing and never did. `None` when it was
    /// not lost between two capture points (delivered, or past the last).
    pub lost: Option<(PointName, PointName)>,
}

/// A file's clock against the reference: this file's timestamp minus the
/// reference's for the same instant is `offset_ns + rate_ppb × (t − t0) / 1e9`,
/// `t0` being the file's first timestamp.
#[derive(Clone, Debug, PartialEq)]
pub struct TrueClock {
    pub file: String,
    pub offset_ns: i64,
    /// Parts per billion (50 ppm = 50_000).
    pub rate_ppb: i64,
}

impl TrueClock {
    /// The reference's timestamp for the instant this file stamped `ts_ns`,
    /// `first_ns` being the file's first timestamp.
    pub fn reference_ns(&self, ts_ns: i64, first_ns: i64) -> i64 {
        let drift = i128::from(self.rate_ppb) * (i128::from(ts_ns) - i128::from(first_ns)) / 1_000_000_000;
        (i128::from(ts_ns) - i128::from(self.offset_ns) - drift) as i64
    }
}

/// A generated story's ground truth.
#[derive(Clone, Debug, PartialEq)]
pub struct Truth {
    /// Every point in path order: the direction the story's first packet takes.
    pub path: Vec<PointName>,
    /// Every packet, each frame of each capture in exactly one of them.
    pub packets: Vec<TruePacket>,
    /// Every file's clock; the reference file (offset 0, rate 0) is the file
    /// of `path[0]`.
    pub clocks: Vec<TrueClock>,
}

/// A generated multi-point story: its captures (name as given, bytes) and its truth.
#[derive(Clone, Debug)]
pub struct Story {
    pub name: &'static str,
    pub files: Vec<(String, Vec<u8>)>,
    pub truth: Truth,
}
