//! What the second pass finds: one packet's sightings at the points, and
//! the journey they make (where it was seen, what changed on each hop,
//! where it was lost). Data only: the matcher makes them.

use crate::path::change::Change;
use crate::path::identity::{Facts, RegionFacts};

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
    pub fn extra_region(&self) -> Option<RegionFacts> {
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
