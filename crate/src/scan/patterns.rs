//! Patterns of bytes after the datagram, per source and direction: the same
//! trailer, vendor trailer, non-zero padding or bad FCS on the frames of one
//! MAC address or interface, told as one finding with its share of them.

use crate::capture::Direction;
use crate::frame::dissect::Dissection;
use crate::frame::ledger::RegionKind;
use crate::scan::finding::{CaptureFinding, FindingKind, FRAMES_PER_FINDING};
use crate::scan::record::FrameRecord;
use crate::text::{plural, thousands};
// foldhash instead of std's SipHash: these maps are touched for every frame
// (SipHash was 9% of the scan); they are bounded, so a crafted capture
// cannot grow their collision chains without limit.
use foldhash::HashMap;

/// Bounds on what the detector keeps, whatever the capture's size.
const MAX_SOURCES: usize = 4096;
const MAX_PATTERNS: usize = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Source {
    Mac([u8; 6]),
    Interface(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PatternKind {
    Trailer(u32),
    Vendor,
    NonzeroPadding,
    FcsInvalid,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct PatternKey {
    source: Source,
    outbound: Option<bool>,
    kind: PatternKind,
}

struct PatternAcc {
    count: u64,
    frames: Vec<u64>,
    sample: [u8; 8],
    sample_len: u8,
    same_bytes: bool,
}

/// What the scan keeps to find the patterns.
#[derive(Default)]
pub struct Patterns {
    per_source: HashMap<(Source, Option<bool>), u64>,
    patterns: HashMap<PatternKey, PatternAcc>,
}

impl Patterns {
    pub fn add(&mut self, r: &FrameRecord, d: &Dissection, data: &[u8]) {
        let source = match d.src_mac {
            Some(m) => Source::Mac(m),
            None => Source::Interface(r.interface),
        };
        let outbound = r.direction.map(|x| x == Direction::Outbound);
        if self.per_source.len() < MAX_SOURCES || self.per_source.contains_key(&(source, outbound)) {
            *self.per_source.entry((source, outbound)).or_default() += 1;
        }
        for region in r.ledger.regions() {
            let kind = match region.kind {
                RegionKind::Trailer => PatternKind::Trailer(region.len),
                RegionKind::Vendor => PatternKind::Vendor,
                RegionKind::Padding if region.nonzero == Some(true) => PatternKind::NonzeroPadding,
                RegionKind::Fcs if region.valid == Some(false) => PatternKind::FcsInvalid,
                _ => continue,
            };
            let key = PatternKey { source, outbound, kind };
            let bytes = data.get(region.start as usize..region.end() as usize).unwrap_or(&[]);
            let n = bytes.len().min(8);
            if !self.patterns.contains_key(&key) && self.patterns.len() >= MAX_PATTERNS {
                continue;
            }
            let acc = self.patterns.entry(key).or_insert_with(|| {
                let mut sample = [0u8; 8];
                sample[..n].copy_from_slice(&bytes[..n]);
                PatternAcc { count: 0, frames: Vec::new(), sample, sample_len: n as u8, same_bytes: true }
            });
            acc.count += 1;
            if acc.frames.len() < FRAMES_PER_FINDING {
                acc.frames.push(r.number);
            }
            if acc.same_bytes && (bytes.len() > 8 || bytes[..n] != acc.sample[..usize::from(acc.sample_len)]) {
                acc.same_bytes = false;
            }
        }
    }

    pub fn findings(&self) -> Vec<CaptureFinding> {
        let mut rows: Vec<(&PatternKey, &PatternAcc)> = self.patterns.iter().collect();
        rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        rows.into_iter()
            .take(50)
            .map(|(k, acc)| {
                let total = self.per_source.get(&(k.source, k.outbound)).copied().unwrap_or(acc.count);
                let who = match k.source {
                    Source::Mac(m) => format!("from {}", crate::wire::Value::Mac(m)),
                    Source::Interface(i) => format!("on interface {i}"),
                };
                let dir = match k.outbound {
                    Some(true) => " (sent by the capturing host)",
                    Some(false) => " (received)",
                    None => "",
                };
                let one = acc.count == 1;
                let quantity = if total == 1 {
                    format!("The one frame {who}{dir}")
                } else if acc.count == total {
                    format!("All {} frames {who}{dir}", thousands(total))
                } else {
                    format!("{} of {} frames {who}{dir}", thousands(acc.count), thousands(total))
                };
                let sample = || {
                    acc.sample[..usize::from(acc.sample_len)]
                        .iter()
                        .map(|b| format!("{b:02x}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                let what = match k.kind {
                    PatternKind::Trailer(n) => {
                        let bytes = if acc.same_bytes { format!(", always {}", sample()) } else { String::new() };
                        format!(
                            "{} {n} unexplained byte{} after the datagram{bytes}",
                            verb(one, "carries", "carry"),
                            plural(n)
                        )
                    }
                    PatternKind::Vendor => format!("{} a vendor trailer", verb(one, "carries", "carry")),
                    PatternKind::NonzeroPadding => {
                        format!("{} non-zero padding: bytes that may leak memory (Etherleak)", verb(one, "has", "have"))
                    }
                    PatternKind::FcsInvalid => {
                        format!("{} with an FCS whose CRC does not match", verb(one, "ends", "end"))
                    }
                };
                CaptureFinding {
                    kind: FindingKind::Pattern,
                    sentence: format!("{quantity} {what}."),
                    frames: acc.frames.clone(),
                    facts: None,
                }
            })
            .collect()
    }
}

fn verb(one: bool, singular: &'static str, plural: &'static str) -> &'static str {
    if one {
        singular
    } else {
        plural
    }
}
