//! Path-MTU evidence: ICMP "fragmentation needed" and ICMPv6 "packet too
//! big" messages by the MTU they report, and the MSS the TCP SYNs announce
//! beside the largest segment seen (larger than any MSS: a GSO/GRO super-frame).

use crate::frame::dissect::{Dissection, MtuSignal};
use crate::scan::finding::{CaptureFinding, FindingKind, FRAMES_PER_FINDING};
use crate::scan::record::FrameRecord;
use crate::text::{plural, thousands};
use std::collections::BTreeMap;

/// ICMP messages kept, whatever the capture's size.
const MAX_SIGNALS: usize = 1000;

/// What the scan keeps about the path MTU.
#[derive(Default)]
pub struct PathMtu {
    signals: Vec<(u64, MtuSignal)>,
    mss: BTreeMap<u16, (u64, u64)>,
    largest_segment: Option<(u32, u64)>,
}

impl PathMtu {
    pub fn add(&mut self, r: &FrameRecord, d: &Dissection) {
        if let Some(s) = d.mtu_signal {
            if self.signals.len() < MAX_SIGNALS {
                self.signals.push((r.number, s));
            }
        }
        if let Some(mss) = d.tcp_syn_mss {
            let e = self.mss.entry(mss).or_insert((0, r.number));
            e.0 += 1;
        }
        if let Some(p) = d.tcp_payload {
            if p > 0 && self.largest_segment.is_none_or(|(best, _)| p > best) {
                self.largest_segment = Some((p, r.number));
            }
        }
    }

    /// Whether a router said, by ICMP (`v6` false) or ICMPv6, that a packet was too big.
    pub fn icmp_error(&self, v6: bool) -> bool {
        self.signals.iter().any(|(_, s)| match s {
            MtuSignal::FragmentationNeeded { .. } => !v6,
            MtuSignal::PacketTooBig { .. } => v6,
        })
    }

    pub fn findings(&self) -> Vec<CaptureFinding> {
        let mut out = Vec::new();
        let mut by_mtu: BTreeMap<(bool, u32), Vec<u64>> = BTreeMap::new();
        for (frame, s) in &self.signals {
            let key = match s {
                MtuSignal::FragmentationNeeded { mtu } => (false, *mtu),
                MtuSignal::PacketTooBig { mtu } => (true, *mtu),
            };
            by_mtu.entry(key).or_default().push(*frame);
        }
        for ((v6, mtu), frames) in by_mtu {
            let what = if v6 { "ICMPv6 Packet Too Big" } else { "ICMP fragmentation needed" };
            let mtu_text = if mtu == 0 {
                "without a next-hop MTU (a pre-RFC 1191 router)".to_string()
            } else {
                format!("MTU {}", thousands(mtu.into()))
            };
            out.push(CaptureFinding {
                kind: FindingKind::PathMtu,
                sentence: format!(
                    "{} {what} message{} report {mtu_text}: a link on the path is smaller than the sender assumed. If such messages are filtered, large packets vanish while small ones pass (a path-MTU black hole).",
                    thousands(frames.len() as u64),
                    plural(frames.len() as u64)
                ),
                frames: frames.into_iter().take(FRAMES_PER_FINDING).collect(),
                facts: None,
            });
        }
        if !self.mss.is_empty() {
            let list: Vec<String> = self.mss.iter().map(|(m, (n, _))| format!("{m} ({n} SYN{})", plural(*n))).collect();
            let max_mss = self.mss.keys().max().copied().unwrap_or(0);
            let mut s = format!("TCP SYNs announce MSS {}.", list.join(", "));
            let mut frames: Vec<u64> = self.mss.values().map(|(_, f)| *f).collect();
            if let Some((seg, frame)) = self.largest_segment {
                if seg > u32::from(max_mss) {
                    s.push_str(&format!(
                        " The largest TCP segment carries {} bytes (frame {frame}), more than any announced MSS: a TSO/GRO super-frame seen on the capturing host, not a frame on the wire.",
                        thousands(seg.into())
                    ));
                    frames.push(frame);
                } else {
                    s.push_str(&format!(
                        " The largest TCP segment carries {} bytes (frame {frame}).",
                        thousands(seg.into())
                    ));
                }
            }
            out.push(CaptureFinding { kind: FindingKind::Mss, sentence: s, frames, facts: None });
        }
        out
    }
}
